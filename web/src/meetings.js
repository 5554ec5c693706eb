// meetings.js: code lists and helpers shared by the 组织生活 (三会一课 纪实) pages and the alerts card.
// The server's enumerations (docs/api.md, "Organisational life") are not part of GET /meta, so the
// labels live here; the server's own *_label fields win when an answer carries them.

export const MEETING_TYPES = [
  { value: 'member_congress', label: '支部党员大会', color: '#c8161d' },
  { value: 'committee_meeting', label: '支委会', color: '#1d6fd6' },
  { value: 'group_meeting', label: '党小组会', color: '#389e0d' },
  { value: 'party_lecture', label: '党课', color: '#c98a00' },
  { value: 'theme_day', label: '主题党日', color: '#c41d7f' },
  { value: 'org_life_meeting', label: '组织生活会', color: '#08979c' },
  { value: 'evaluation', label: '民主评议党员', color: '#531dab' },
  { value: 'heart_talk', label: '谈心谈话', color: '#5b8c00' },
  { value: 'democratic_life_meeting', label: '民主生活会', color: '#ad4e00' },
  { value: 'study_session', label: '中心组学习', color: '#2f54eb' },
];

const TYPE_MAP = new Map(MEETING_TYPES.map((t) => [t.value, t]));

export function meetingTypeLabel(type) {
  const t = TYPE_MAP.get(type);
  return t ? t.label : type || '';
}

/** Attributes for <el-tag v-bind="meetingTypeTag(type)">: one colour per type (Element's CSS variables). */
export function meetingTypeTag(type) {
  const t = TYPE_MAP.get(type);
  if (!t) return { type: 'info', disableTransitions: true };
  return {
    type: 'info',
    disableTransitions: true,
    style: {
      '--el-tag-text-color': t.color,
      '--el-tag-bg-color': t.color + '14',
      '--el-tag-border-color': t.color + '4d',
      '--el-tag-hover-color': t.color,
    },
  };
}

/** Canonical order of the types (compliance columns). */
export function meetingTypeOrder(type) {
  const i = MEETING_TYPES.findIndex((t) => t.value === type);
  return i < 0 ? 99 : i;
}

export const MEETING_STATUS = [
  { value: 'held', label: '已召开' },
  { value: 'planned', label: '计划' },
];

export function meetingStatusLabel(s) {
  return s === 'planned' ? '计划' : s === 'held' ? '已召开' : s || '';
}

export const ATTENDANCE = [
  { value: 'present', label: '出席' },
  { value: 'absent', label: '缺席' },
  { value: 'leave', label: '请假' },
  { value: 'nonvoting', label: '列席' },
];

export function needsReason(status) {
  return status === 'absent' || status === 'leave';
}

/** The alert kinds of GET /alerts, in the order the dashboard shows them. */
export const ALERT_KINDS = [
  { value: 'term_overdue', label: '换届逾期' },
  { value: 'term_due', label: '换届临近' },
  { value: 'structure', label: '组织设置' },
  { value: 'meeting_missing', label: '组织生活缺项' },
  { value: 'dues_arrears', label: '党费欠缴' },
  { value: 'full_membership_due', label: '预备期满' },
  { value: 'development_overdue', label: '发展党员逾期' },
  { value: 'development_due', label: '发展党员待办' },
  { value: 'letter_expired', label: '介绍信过期' },
  { value: 'lost_suspend', label: '失联待停止党籍' },
  { value: 'dormant_org', label: '长期未发展党员' },
];

export const SEVERITY = {
  critical: { label: '紧急', tag: 'danger', effect: 'dark', color: '#c8161d' },
  high: { label: '高', tag: 'danger', effect: 'light', color: '#f56c6c' },
  medium: { label: '中', tag: 'warning', effect: 'light', color: '#e6a23c' },
  low: { label: '低', tag: 'info', effect: 'light', color: '#909399' },
};

export function severity(s) {
  return SEVERITY[s] || SEVERITY.low;
}

/**
 * Today as "YYYY-MM-DD" in China Standard Time (UTC+8), the server's calendar: a meeting "held"
 * after this day is refused, whatever the browser's own time zone says. offsetDays shifts it.
 */
export function todayCN(offsetDays = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + (offsetDays + serverDayOffset) * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}

// Days between the server's calendar (the session's "today") and this browser's: 0 in production,
// where both are the real date; the server's day wins where they differ (a fixed DJ_TODAY in demos).
let serverDayOffset = 0;

/** Takes the server's "today" (YYYY-MM-DD) from the session reply. */
export function setServerToday(today) {
  serverDayOffset = 0;
  if (!today || !/^\d{4}-\d\d-\d\d$/.test(today)) return;
  const mine = Date.parse(todayCN() + 'T00:00:00Z');
  const theirs = Date.parse(today + 'T00:00:00Z');
  if (!Number.isNaN(theirs)) serverDayOffset = Math.round((theirs - mine) / 86400000);
}

/** "YYYY-MM" of today in China Standard Time. */
export function thisMonthCN() {
  return todayCN().slice(0, 7);
}

/** First and last day of "YYYY-MM". */
export function monthRange(month) {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${month}-01`, `${month}-${String(last).padStart(2, '0')}`];
}

/** "2026-11-24" → "11月24日 周二". */
export function dayLabel(date) {
  if (!date) return '';
  const [y, m, d] = date.split('-').map(Number);
  const wd = '日一二三四五六'[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${m}月${d}日 周${wd}`;
}

/** 12345 → "12.1 KB". */
export function fileSize(n) {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}

/** Every member of an organisation's subtree: GET /members?org=ID&per_page=200, all pages. */
export async function loadAllMembers(api, orgId) {
  const out = [];
  let page = 1;
  for (;;) {
    const d = await api.get('/members', { org: orgId, per_page: 200, page });
    const items = d.items || [];
    out.push(...items);
    if (!items.length || out.length >= (d.total || 0)) break;
    page++;
  }
  return out;
}
