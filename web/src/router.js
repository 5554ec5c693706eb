// router.js: pages and the login guard. Hash history, so the console works whatever the server
// answers for unknown paths. meta.perm / meta.roles restrict a page; meta.parent feeds the breadcrumb.
import { createRouter, createWebHashHistory } from 'vue-router';
import { ElMessage } from 'element-plus';
import { session, loadSession, can, hasRole, clearSession, homeFor } from './store.js';
import { setUnauthorizedHandler } from './api.js';

import AppLayout from './components/AppLayout.vue';
import LoginView from './views/LoginView.vue';

const routes = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true, title: '登录' } },
  {
    path: '/',
    component: AppLayout,
    children: [
      { path: '', name: 'home', component: () => import('./views/DashboardView.vue'), meta: { title: '首页概览' } },
      { path: 'orgs', name: 'orgs', component: () => import('./views/OrgsView.vue'), meta: { title: '组织架构', perm: 'org_read' } },
      { path: 'members', name: 'members', component: () => import('./views/MembersView.vue'), meta: { title: '党员管理', perm: 'member_read' } },
      {
        path: 'members/:id(\\d+)',
        name: 'member',
        component: () => import('./views/MemberDetailView.vue'),
        props: (r) => ({ id: Number(r.params.id) }),
        meta: { title: '党员档案', parent: 'members' },
      },
      { path: 'meetings', name: 'meetings', component: () => import('./views/meetings/MeetingsView.vue'), meta: { title: '会议记录', section: '组织生活', perm: 'org_read' } },
      { path: 'meetings/new', name: 'meeting-new', component: () => import('./views/meetings/MeetingEditView.vue'), meta: { title: '新建会议', section: '组织生活', parent: 'meetings', perm: 'member_write' } },
      {
        path: 'meetings/:id(\\d+)',
        name: 'meeting',
        component: () => import('./views/meetings/MeetingEditView.vue'),
        props: (r) => ({ id: Number(r.params.id) }),
        meta: { title: '会议详情', section: '组织生活', parent: 'meetings', perm: 'org_read' },
      },
      { path: 'compliance', name: 'compliance', component: () => import('./views/meetings/ComplianceView.vue'), meta: { title: '合规统计', section: '组织生活', perm: 'org_read' } },
      { path: 'meetings/calendar', name: 'meeting-calendar', component: () => import('./views/meetings/MeetingCalendarView.vue'), meta: { title: '会议日历', section: '组织生活', perm: 'org_read' } },
      { path: 'dues/ledger', name: 'dues-ledger', component: () => import('./views/dues/DuesLedgerView.vue'), meta: { title: '党费台账', section: '党费管理', perm: 'member_read' } },
      { path: 'dues/arrears', name: 'dues-arrears', component: () => import('./views/dues/DuesArrearsView.vue'), meta: { title: '欠缴预警', section: '党费管理', perm: 'member_read' } },
      { path: 'dues/reconcile', name: 'dues-reconcile', component: () => import('./views/dues/DuesReconcileView.vue'), meta: { title: '对账', section: '党费管理', perm: 'member_read' } },
      { path: 'dues/publicity', name: 'dues-publicity', component: () => import('./views/dues/DuesPublicityView.vue'), meta: { title: '党费公示', section: '党费管理', perm: 'member_read' } },
      { path: 'dues/funds', name: 'dues-funds', component: () => import('./views/dues/DuesFundsView.vue'), meta: { title: '上解与使用', section: '党费管理', perm: 'member_read' } },
      { path: 'dues/calculator', name: 'dues-calculator', component: () => import('./views/dues/DuesCalculatorView.vue'), meta: { title: '党费计算器', section: '党费管理' } },
      { path: 'dues/me', name: 'dues-me', component: () => import('./views/dues/MyDuesView.vue'), meta: { title: '我的党费', section: '党费管理' } },
      { path: 'development', name: 'development', component: () => import('./views/development/DevelopmentBoardView.vue'), meta: { title: '发展党员', perm: 'member_read' } },
      {
        path: 'development/applicants/:id(\\d+)',
        name: 'applicant',
        component: () => import('./views/development/ApplicantView.vue'),
        props: (r) => ({ id: Number(r.params.id) }),
        meta: { title: '发展纪实', parent: 'development', perm: 'member_read' },
      },
      { path: 'transfers', name: 'transfers', component: () => import('./views/transfers/TransfersView.vue'), meta: { title: '组织关系转接', section: '组织关系', perm: 'member_read' } },
      {
        path: 'transfers/:id(\\d+)',
        name: 'transfer',
        component: () => import('./views/transfers/TransfersView.vue'),
        props: (r) => ({ id: Number(r.params.id) }),
        meta: { title: '组织关系转接', section: '组织关系', parent: 'transfers', perm: 'member_read' },
      },
      { path: 'transfers/me', name: 'transfers-me', component: () => import('./views/transfers/MyTransfersView.vue'), meta: { title: '我的组织关系转接', section: '组织关系' } },
      { path: 'mobile-members', name: 'mobile-members', component: () => import('./views/transfers/MobileMembersView.vue'), meta: { title: '流动党员', section: '组织关系', perm: 'member_read' } },
      { path: 'import', name: 'import', component: () => import('./views/ImportView.vue'), meta: { title: '数据导入', perm: 'import' } },
      { path: 'users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { title: '用户管理', roles: ['admin', 'org_admin'] } },
      { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: '审计日志', roles: ['auditor', 'admin'] } },
      { path: ':rest(.*)*', name: 'notfound', component: () => import('./views/NotFoundView.vue'), meta: { title: '页面不存在' } },
    ],
  },
];

const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach(async (to) => {
  if (!session.checked) await loadSession();
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return homeFor(session.user);
    return true;
  }
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (to.name === 'home' && session.user.role === 'auditor') return { name: 'audit' };
  const denied = (to.meta.perm && !can(to.meta.perm)) || (to.meta.roles && !hasRole(...to.meta.roles));
  if (denied) {
    ElMessage.warning('您没有访问“' + to.meta.title + '”的权限');
    return homeFor(session.user);
  }
  return true;
});

router.afterEach((to) => {
  document.title = (to.meta.title ? to.meta.title + ' - ' : '') + '党建在线';
});

let redirecting = false;
setUnauthorizedHandler(() => {
  const wasLoggedIn = !!session.user;
  clearSession();
  if (redirecting || router.currentRoute.value.name === 'login') return;
  redirecting = true;
  if (wasLoggedIn) ElMessage.warning('登录已过期，请重新登录');
  const cur = router.currentRoute.value.fullPath;
  router.push({ name: 'login', query: cur && cur !== '/' ? { redirect: cur } : {} }).finally(() => {
    redirecting = false;
  });
});

export default router;
