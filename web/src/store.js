// store.js: who is logged in, the code lists (GET /meta) and the organisation tree (GET /orgs),
// shared by every page. Plain reactive state; no store library needed at this size.
import { reactive, computed } from 'vue';
import { api, setCsrfToken } from './api.js';
import { buildTree } from './utils.js';
import { setServerToday } from './meetings.js';

export const session = reactive({
  user: null,
  checked: false, // GET /session has answered once since the page loaded
});

/** Role names when /meta is not loaded yet (login page, header). */
export const ROLE_LABELS = {
  admin: '系统管理员',
  org_admin: '党务工作者',
  secretary: '支部书记',
  member: '党员',
  auditor: '审计员',
};

// Permissions the server lists in user.permissions; the role table is the fallback.
const ROLE_PERMS = {
  admin: ['org_read', 'org_write', 'member_read', 'member_write', 'reveal', 'user_admin', 'audit_read', 'import'],
  org_admin: ['org_read', 'org_write', 'member_read', 'member_write', 'reveal', 'user_admin', 'import'],
  secretary: ['org_read', 'member_read', 'member_write'],
  member: ['self'],
  auditor: ['audit_read'],
};

export function can(perm) {
  const u = session.user;
  if (!u) return false;
  const perms = Array.isArray(u.permissions) && u.permissions.length ? u.permissions : ROLE_PERMS[u.role] || [];
  return perms.includes(perm);
}

export function hasRole(...roles) {
  return !!session.user && roles.includes(session.user.role);
}

/** Where a user lands after login: the auditor has nothing but the audit trail. */
export function homeFor(user) {
  if (user && user.role === 'auditor') return { name: 'audit' };
  return { name: 'home' };
}

export function roleLabel(role) {
  const m = meta.data && meta.data.user_role && meta.data.user_role.find((r) => r.value === role);
  return (m && m.label) || ROLE_LABELS[role] || role || '';
}

function setSession(reply) {
  session.user = reply ? reply.user : null;
  setCsrfToken(reply ? reply.csrf_token : null);
  setServerToday(reply ? reply.today : null);
}

/** On page load: asks the server whether the cookie still holds a session. */
export async function loadSession() {
  try {
    const reply = await api.get('/session', null, { quiet: true, noRedirect: true });
    setSession(reply);
  } catch {
    setSession(null);
  } finally {
    session.checked = true;
  }
  return session.user;
}

export async function login(username, password) {
  const reply = await api.post('/session', { username, password }, { quiet: true, noRedirect: true });
  setSession(reply);
  session.checked = true;
  resetCaches();
  return reply.user;
}

export async function logout() {
  try {
    await api.del('/session', { quiet: true, noRedirect: true });
  } finally {
    clearSession();
  }
}

export function clearSession() {
  setSession(null);
  resetCaches();
}

// ---- code lists ----

export const meta = reactive({ data: null, loading: null });

export function loadMeta() {
  if (meta.data) return Promise.resolve(meta.data);
  if (!meta.loading) {
    meta.loading = api
      .get('/meta')
      .then((d) => {
        meta.data = d;
        return d;
      })
      .finally(() => {
        meta.loading = null;
      });
  }
  return meta.loading;
}

/** Options [{value,label}] for a small enumeration or a code list of /meta. */
export function metaOptions(name) {
  const list = (meta.data && meta.data[name]) || [];
  return list.map((x) => ({
    value: x.value !== undefined ? x.value : x.code,
    label: x.label !== undefined ? x.label : x.name,
  }));
}

export function metaLabel(name, value) {
  if (value === null || value === undefined || value === '') return '';
  const o = metaOptions(name).find((x) => x.value === value);
  return o ? o.label : String(value);
}

// ---- organisations ----

export const orgs = reactive({ items: [], loaded: false, loading: null });

export function loadOrgs(force = false) {
  if (orgs.loaded && !force) return Promise.resolve(orgs.items);
  if (!orgs.loading || force) {
    orgs.loading = api
      .get('/orgs')
      .then((d) => {
        orgs.items = d.items || [];
        orgs.loaded = true;
        return orgs.items;
      })
      .finally(() => {
        orgs.loading = null;
      });
  }
  return orgs.loading;
}

export const orgTree = computed(() => buildTree(orgs.items));

export const orgById = computed(() => {
  const m = new Map();
  for (const o of orgs.items) m.set(o.id, o);
  return m;
});

function resetCaches() {
  orgs.items = [];
  orgs.loaded = false;
}
