// development.js: labels and step definitions shared by the 发展党员, 组织关系转接, 流动党员 and
// member-state pages (docs/api.md "Member development" to the end; RULES.md 1.1, 4, 6.3).
// The server's own *_label / *_name fields win when an answer carries them.

/** The five stages, in pipeline order (board columns). */
export const STAGES = [
  { value: 'applicant', label: '入党申请人', color: '#909399' },
  { value: 'activist', label: '入党积极分子', color: '#1d6fd6' },
  { value: 'candidate', label: '发展对象', color: '#c98a00' },
  { value: 'probationary', label: '预备党员', color: '#e6702e' },
  { value: 'full', label: '正式党员', color: '#c8161d' },
];

export function stageLabel(s) {
  const x = STAGES.find((t) => t.value === s);
  return x ? x.label : s || '';
}

export const CASE_STATUS = {
  open: { label: '进行中', tag: 'primary' },
  completed: { label: '已转正归档', tag: 'success' },
  cancelled: { label: '已取消预备党员资格', tag: 'danger' },
  stopped: { label: '已终止', tag: 'info' },
};

export function caseStatus(s) {
  return CASE_STATUS[s] || { label: s || '', tag: 'info' };
}

/**
 * The 25 steps (RULES.md DEV-01). `needs` lists the form parts a step uses:
 * people (with role, min, max), summary, result, vote, outcome, training, publicity, approver,
 * meeting, leaving (预计离开时间, DEV-32). `periodic`: may be recorded again while it is the current
 * step (6, 21). `committee`: recorded for the higher committee, by admin and org_admin only (DEV-03;
 * the server's GET /development/rules `steps[].committee`).
 */
export const STEPS = [
  null,
  { step: 1, stage: 'applicant', name: '递交入党申请书' },
  { step: 2, stage: 'applicant', name: '党组织派人谈话', people: { role: 'talker', min: 1, max: 1, label: '谈话人' } },
  { step: 3, stage: 'activist', name: '推荐和确定入党积极分子' },
  { step: 4, stage: 'activist', name: '上级党委备案', committee: true },
  { step: 5, stage: 'activist', name: '指定培养联系人', people: { role: 'contact', min: 1, max: 2, label: '培养联系人', full: true } },
  { step: 6, stage: 'activist', name: '培养教育考察', summary: '考察情况', summaryRequired: true, periodic: true },
  { step: 7, stage: 'candidate', name: '确定发展对象', publicity: true },
  { step: 8, stage: 'candidate', name: '报上级党委备案', committee: true },
  { step: 9, stage: 'candidate', name: '确定入党介绍人', people: { role: 'introducer', min: 2, max: 2, label: '入党介绍人', full: true } },
  { step: 10, stage: 'candidate', name: '进行政治审查', result: true, summary: '审查结论', summaryRequired: true },
  { step: 11, stage: 'candidate', name: '开展集中培训', training: true },
  { step: 12, stage: 'probationary', name: '支部委员会审查' },
  { step: 13, stage: 'probationary', name: '上级党委预审', result: true, approver: true, leaving: true, committee: true },
  { step: 14, stage: 'probationary', name: '填写入党志愿书' },
  { step: 15, stage: 'probationary', name: '支部大会讨论', vote: true, meeting: true },
  { step: 16, stage: 'probationary', name: '上级党委派人谈话', people: { role: 'talker', min: 0, max: 2, label: '谈话人' }, freeNames: true },
  { step: 17, stage: 'probationary', name: '上级党委审批', result: true, approver: true, committee: true },
  { step: 18, stage: 'probationary', name: '再上一级党委组织部门备案', committee: true },
  { step: 19, stage: 'full', name: '编入党支部和党小组' },
  { step: 20, stage: 'full', name: '入党宣誓' },
  { step: 21, stage: 'full', name: '继续教育考察', summary: '考察情况', summaryRequired: true, periodic: true },
  { step: 22, stage: 'full', name: '提出转正申请' },
  { step: 23, stage: 'full', name: '支部大会讨论', vote: true, outcome: true, meeting: true },
  { step: 24, stage: 'full', name: '上级党委审批', result: true, approver: true, committee: true },
  { step: 25, stage: 'full', name: '材料归档' },
];

/** The flow-chart stage of a step (1–5), for grouping the timeline. */
export const STEP_GROUPS = [
  { from: 1, to: 2, label: '第一阶段 申请入党' },
  { from: 3, to: 6, label: '第二阶段 入党积极分子的确定和培养教育' },
  { from: 7, to: 11, label: '第三阶段 发展对象的确定和考察' },
  { from: 12, to: 18, label: '第四阶段 预备党员的接收' },
  { from: 19, to: 25, label: '第五阶段 预备党员的教育考察和转正' },
];

export function stepDef(n) {
  return STEPS[n] || null;
}

export function stepName(n) {
  const s = STEPS[n];
  return s ? s.name : '';
}

export const PEOPLE_ROLES = {
  talker: '谈话人',
  contact: '培养联系人',
  introducer: '入党介绍人',
  reviewer: '审查人',
  other: '其他',
};

export const OUTCOMES = [
  { value: 'full', label: '按期转为正式党员' },
  { value: 'extend', label: '延长预备期' },
  { value: 'cancel', label: '取消预备党员资格' },
];

export function outcomeLabel(v) {
  const x = OUTCOMES.find((o) => o.value === v);
  return x ? x.label : v || '';
}

export const RESULTS = [
  { value: 'pass', label: '通过' },
  { value: 'fail', label: '不通过' },
];

export function resultLabel(v) {
  return v === 'pass' ? '通过' : v === 'fail' ? '不通过' : v || '';
}

// ---- transfers ----

export const TRANSFER_KINDS = [
  { value: 'in_system', label: '系统内转接' },
  { value: 'outbound', label: '转出系统外（开具介绍信）' },
  { value: 'inbound', label: '系统外转入（来信登记）' },
];

export function transferKindLabel(k) {
  const short = { in_system: '系统内', outbound: '转出系统外', inbound: '系统外转入' };
  return short[k] || k || '';
}

export const TRANSFER_STATES = [
  { value: 'requested', label: '已申请', tag: 'warning' },
  { value: 'sending_approved', label: '转出方已同意', tag: 'primary' },
  { value: 'letter_issued', label: '已开具介绍信', tag: 'primary' },
  { value: 'registered', label: '已登记来信', tag: 'warning' },
  { value: 'completed', label: '已完成', tag: 'success' },
  { value: 'returned', label: '已退回', tag: 'danger' },
  { value: 'cancelled', label: '已撤销', tag: 'info' },
];

export function transferState(s) {
  return TRANSFER_STATES.find((t) => t.value === s) || { value: s, label: s || '', tag: 'info' };
}

/** A transfer that is still in progress (can be cancelled or returned). */
export function transferOpen(t) {
  return t && ['requested', 'sending_approved', 'letter_issued', 'registered'].includes(t.state);
}

/** The introduction letter (党员组织关系介绍信) can be printed. */
export function letterPrintable(t) {
  return !!(t && t.letter_no) && ['letter_issued', 'completed'].includes(t.state) && (t.kind === 'outbound' || t.kind === 'in_system');
}

// ---- member states ----

export const MEMBER_STATES = [
  { value: 'active', label: '正常', tag: 'success' },
  { value: 'lost', label: '失联', tag: 'warning' },
  { value: 'suspended', label: '停止党籍', tag: 'danger' },
  { value: 'left', label: '已出党', tag: 'info' },
  { value: 'transferred', label: '已转出', tag: 'info' },
];

export function memberState(s) {
  return MEMBER_STATES.find((t) => t.value === s) || { value: s, label: s || '正常', tag: 'success' };
}

export const EXIT_REASONS = [
  { value: 'death', label: '死亡', approval: true },
  { value: 'expelled', label: '开除党籍' },
  { value: 'withdrew', label: '退党', approval: true },
  { value: 'removed_self_lapse', label: '自行脱党除名' },
  { value: 'removed_unqualified', label: '除名' },
  { value: 'persuaded_left', label: '劝退' },
  { value: 'removed_refused', label: '劝而不退除名' },
  { value: 'probation_cancelled', label: '取消预备党员资格' },
];

export function exitReasonLabel(v) {
  const x = EXIT_REASONS.find((r) => r.value === v);
  return x ? x.label : v || '';
}

export const LOST_SITUATIONS = [
  { value: 'work_away', label: '外出务工经商' },
  { value: 'abroad', label: '出国（境）' },
  { value: 'no_transfer', label: '未转接组织关系' },
  { value: 'address_unknown', label: '住址不详' },
  { value: 'other', label: '其他' },
];

export function situationLabel(v) {
  const x = LOST_SITUATIONS.find((r) => r.value === v);
  return x ? x.label : v || '';
}

/** A state-history code (exit reason or lost-contact situation) in Chinese. */
export function stateCodeLabel(code) {
  return exitReasonLabel(code) !== code ? exitReasonLabel(code) : situationLabel(code);
}

// ---- sanctions (党纪处分, RULES.md 6.1) ----

/** The five sanctions, lightest to heaviest (DISC-01), with their effect periods (DISC-02). */
export const SANCTION_TYPES = [
  { value: 'warning', label: '警告', months: 12, tag: 'warning' },
  { value: 'serious_warning', label: '严重警告', months: 18, tag: 'warning' },
  { value: 'removal_from_post', label: '撤销党内职务', months: 24, tag: 'danger' },
  { value: 'probation', label: '留党察看', months: null, tag: 'danger' },
  { value: 'expulsion', label: '开除党籍', months: null, tag: 'danger' },
];

export function sanctionType(v) {
  return SANCTION_TYPES.find((t) => t.value === v) || { value: v, label: v || '', tag: 'info' };
}

// ---- dates ----

/** "YYYY-MM-DD" plus n calendar months, clamped to the month's last day (RULES.md C-01). */
export function addMonthsDate(date, n) {
  if (!date) return '';
  const [y, m, d] = date.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  const ny = Math.floor(t / 12);
  const nm = (t % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Applies an ApiError's `fields` to a reactive errors object; returns the summary line. */
export function applyErrors(e, errors) {
  for (const k of Object.keys(errors)) errors[k] = '';
  if (e && e.fields) {
    for (const [k, msg] of Object.entries(e.fields)) if (k in errors) errors[k] = msg;
  }
  return e ? e.message : '';
}
