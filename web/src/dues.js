// dues.js: helpers shared by the party dues (党费) pages. The API counts money in fen (integers);
// the pages show yuan with two decimals and accept yuan in inputs.

/** 10884 → "¥108.84" (thousands separated); null/undefined → "—". Integer arithmetic only. */
export function yuan(fen, { sign = true } = {}) {
  if (fen === null || fen === undefined || fen === '' || Number.isNaN(Number(fen))) return '—';
  const n = Math.round(Number(fen));
  const neg = n < 0;
  const abs = Math.abs(n);
  const whole = Math.floor(abs / 100).toLocaleString('zh-CN');
  const cents = String(abs % 100).padStart(2, '0');
  return (neg ? '-' : '') + (sign ? '¥' : '') + whole + '.' + cents;
}

/** 10884 → 108.84 (a Number for el-input-number). */
export function fenToYuan(fen) {
  if (fen === null || fen === undefined || fen === '') return null;
  return Math.round(Number(fen)) / 100;
}

/** 108.84 or "108.84" → 10884; empty → null. Rounds to the fen. */
export function yuanToFen(v) {
  if (v === null || v === undefined || v === '') return null;
  const s = String(v).trim();
  const m = /^(-)?(\d+)(?:\.(\d{0,2})\d*)?$/.exec(s);
  if (!m) {
    const n = Number(s);
    return Number.isFinite(n) ? Math.round(n * 100) : null;
  }
  const fen = Number(m[2]) * 100 + Number((m[3] || '').padEnd(2, '0') || 0);
  return m[1] ? -fen : fen;
}

/** The current month "YYYY-MM" in the browser's time zone (offset in months). */
export function thisMonth(offset = 0) {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** "2026-11" → "2026年11月". */
export function monthLabel(m) {
  if (!m) return '—';
  const [y, mo] = m.split('-');
  return `${y}年${Number(mo)}月`;
}

/** "2026-11" + n months → "YYYY-MM". */
export function addMonths(m, n) {
  const [y, mo] = m.split('-').map(Number);
  const t = y * 12 + (mo - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** Months from a to b inclusive ("YYYY-MM"), ascending; empty when a > b. */
export function monthRange(a, b) {
  const out = [];
  if (!a || !b) return out;
  for (let m = a; m <= b; m = addMonths(m, 1)) out.push(m);
  return out;
}

// RULES.md section 2 / src/core/dues.c: dues categories with their labels.
export const DUES_CATEGORIES = [
  { value: 'in_service', label: '在职', base: true, hint: '按每月工资收入（税后）计算' },
  { value: 'annual_salary', label: '年薪制', base: true, hint: '按年薪的 1/12 作为月收入基数' },
  { value: 'self_employed', label: '个体及其他无固定月薪', base: true, hint: '按月收入基数计算' },
  { value: 'retired', label: '离退休', base: true, hint: '按基本离退休费或基本养老金计算' },
  { value: 'farmer', label: '农牧渔民', base: false, hint: '每月 0.20 元至 1.00 元' },
  { value: 'student', label: '学生', base: false, hint: '每月 0.20 元' },
  { value: 'unemployed', label: '下岗失业', base: false, hint: '每月 0.20 元' },
  { value: 'relief', label: '领取救济或抚恤', base: false, hint: '每月 0.20 元' },
  { value: 'minimum_allowance', label: '领取最低生活保障', base: false, hint: '每月 0.20 元' },
  { value: 'reduced_or_exempt', label: '减免', base: false, hint: '经党支部研究、上级党委批准后减免' },
];

export function categoryLabel(c) {
  const x = DUES_CATEGORIES.find((d) => d.value === c);
  return x ? x.label : c || '—';
}

export function categoryUsesBase(c) {
  const x = DUES_CATEGORIES.find((d) => d.value === c);
  return !!(x && x.base);
}

export const METHODS = [
  { value: 'cash', label: '现金' },
  { value: 'bank', label: '银行转账' },
  { value: 'online', label: '网上缴纳' },
];

export function methodLabel(m) {
  const x = METHODS.find((d) => d.value === m);
  return x ? x.label : m || '—';
}

/** "5" per mille → "5‰（0.5%）"; null → "定额". */
export function rateLabel(perMille) {
  if (perMille === null || perMille === undefined) return '定额';
  return `${perMille}‰（${(perMille / 10).toString()}%）`;
}

export const MONTH_STATUS = {
  open: { label: '收缴中', type: 'success' },
  reported: { label: '已上报', type: 'warning' },
  settled: { label: '已结算', type: 'info' },
};

export function monthStatus(s) {
  return MONTH_STATUS[s] || { label: '未建账', type: 'danger' };
}

// DUES-11: 3 months → warn, 5 → alert, 6 in a row → a possible 自行脱党 case.
export const ARREARS_LEVELS = {
  lapse_case: { label: '连续6个月未交 · 需组织处理', short: '需组织处理', type: 'danger', effect: 'dark' },
  alert: { label: '欠缴5个月', short: '欠缴预警', type: 'danger', effect: 'light' },
  warn: { label: '欠缴3个月', short: '欠缴提醒', type: 'warning', effect: 'light' },
  none: { label: '欠缴未满3个月', short: '一般欠缴', type: 'info', effect: 'plain' },
};

export function arrearsLevel(l) {
  return ARREARS_LEVELS[l] || ARREARS_LEVELS.none;
}

// DUES-14: what a committee may spend its retained dues on.
export const SPENDING_CATEGORIES = [
  { value: 'training', label: '培训党员' },
  { value: 'materials', label: '订阅报刊和购置教育设备' },
  { value: 'commendation', label: '表彰先进' },
  { value: 'hardship', label: '补助生活困难党员' },
  { value: 'disaster', label: '补助受灾党员' },
];

export function spendingLabel(c) {
  const x = SPENDING_CATEGORIES.find((d) => d.value === c);
  return x ? x.label : c || '—';
}

/** Element Plus form-item errors from an ApiError's fields: {field: message}. */
export function applyFieldErrors(errors, e) {
  for (const k of Object.keys(errors)) errors[k] = '';
  if (e && e.fields) for (const [k, msg] of Object.entries(e.fields)) if (k in errors) errors[k] = msg;
}
