// utils.js: small helpers shared by the pages.

/**
 * Builds a tree from the flat GET /orgs list (parents before children). Each node is a copy of
 * the org with `children`; an org whose parent is not in the list is a root (the caller's root
 * keeps its real parent_id).
 */
export function buildTree(items) {
  const nodes = new Map();
  for (const o of items) nodes.set(o.id, { ...o, children: [] });
  const roots = [];
  for (const o of items) {
    const n = nodes.get(o.id);
    const p = o.parent_id ? nodes.get(o.parent_id) : null;
    if (p) p.children.push(n);
    else roots.push(n);
  }
  const sortRec = (list) => {
    list.sort((a, b) => (a.sort_order || 0) - (b.sort_order || 0) || a.id - b.id);
    for (const n of list) sortRec(n.children);
  };
  sortRec(roots);
  return roots;
}

/** Ids of `id` and every organisation below it, from the flat list. */
export function subtreeIds(items, id) {
  const kids = new Map();
  for (const o of items) {
    if (!kids.has(o.parent_id)) kids.set(o.parent_id, []);
    kids.get(o.parent_id).push(o.id);
  }
  const out = new Set();
  const stack = [id];
  while (stack.length) {
    const cur = stack.pop();
    if (out.has(cur)) continue;
    out.add(cur);
    for (const k of kids.get(cur) || []) stack.push(k);
  }
  return out;
}

/** "2026-11-24T10:00:00Z" → "2026-11-24 18:00:00" in the browser's time zone. */
export function formatTime(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function dash(v) {
  return v === null || v === undefined || v === '' ? '—' : v;
}

/** Days from today to a YYYY-MM-DD date (negative when past). */
export function daysUntil(date) {
  if (!date) return null;
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(y, m - 1, d);
  const now = new Date();
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((target - today) / 86400000);
}

export const GENDER_LABELS = { male: '男', female: '女' };

/** Member import/export columns, in the order the export writes them. */
export const MEMBER_COLUMNS = [
  '姓名', '性别', '民族', '出生日期', '身份证号', '学历', '手机号', '籍贯', '人员类别',
  '党员状态', '入党时间', '转正时间', '所在党组织', '工作单位', '职务',
];

/** A CSV import template: UTF-8 with BOM (so Excel opens it correctly), header row only. */
export function memberTemplateCsv() {
  return new Blob(['\uFEFF' + MEMBER_COLUMNS.join(',') + '\r\n'], { type: 'text/csv;charset=utf-8' });
}

export function tagTypeForStatus(status) {
  return status === 'full' ? 'danger' : status === 'probationary' ? 'warning' : 'info';
}
