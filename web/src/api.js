// api.js: the one place that talks to the server (/api/v1 on the same origin).
//
// - keeps the CSRF token in memory and sends it as X-CSRF-Token on every non-GET request;
// - turns error bodies {"error":{"code","message","fields","report"}} into ApiError;
// - shows error.message with ElMessage (unless the caller asks for `quiet`);
// - on 401 (session missing or expired) clears the session and goes to the login page.
import { ElMessage } from 'element-plus';

export const API_BASE = '/api/v1';

let csrfToken = null;
let onUnauthorized = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

export function getCsrfToken() {
  return csrfToken;
}

/** Registers what to do when the server answers 401 to a normal request. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || defaultMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = err.code || 'http_' + status;
    this.fields = err.fields || null;
    this.report = err.report || null;
  }
}

function defaultMessage(status) {
  switch (status) {
    case 0: return '无法连接服务器，请检查网络';
    case 400: return '请求格式不正确';
    case 401: return '登录已失效，请重新登录';
    case 403: return '没有执行此操作的权限';
    case 404: return '记录不存在或不在您的管辖范围内';
    case 409: return '当前状态不允许此操作';
    case 413: return '提交的内容过大';
    case 422: return '填写的内容有误';
    case 429: return '操作过于频繁，请稍后再试';
    default: return status >= 500 ? '服务器内部错误，请稍后再试' : '请求失败（' + status + '）';
  }
}

/** Builds "/api/v1/path?a=1&b=2", dropping empty parameters. */
export function apiUrl(path, params) {
  let url = API_BASE + path;
  if (params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null || v === '') continue;
      qs.append(k, String(v));
    }
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  return url;
}

function reportError(e, opts) {
  if (e.status === 401 && !opts.noRedirect) {
    if (onUnauthorized) onUnauthorized(e);
    return; // the login page explains it
  }
  if (!opts.quiet) ElMessage({ type: 'error', message: e.message, grouping: true, showClose: true });
}

async function parseBody(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * request('GET', '/members', { params, body, quiet, noRedirect }) → parsed JSON (null for 204).
 * Throws ApiError after reporting it.
 */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(apiUrl(path, opts.params), init);
  } catch {
    const e = new ApiError(0, null);
    reportError(e, opts);
    throw e;
  }
  const body = await parseBody(res);
  if (!res.ok) {
    const e = new ApiError(res.status, body);
    reportError(e, opts);
    throw e;
  }
  return body;
}

export const api = {
  get: (path, params, opts = {}) => request('GET', path, { ...opts, params }),
  post: (path, body, opts = {}) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts = {}) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts = {}) => request('PUT', path, { ...opts, body }),
  del: (path, opts = {}) => request('DELETE', path, opts),
};

/** Downloads a file answer (GET) and saves it under the server's file name. */
export async function download(path, params, fallbackName) {
  let res;
  try {
    res = await fetch(apiUrl(path, params), { credentials: 'same-origin' });
  } catch {
    const e = new ApiError(0, null);
    reportError(e, {});
    throw e;
  }
  if (!res.ok) {
    const e = new ApiError(res.status, await parseBody(res));
    reportError(e, {});
    throw e;
  }
  const blob = await res.blob();
  saveBlob(blob, filenameFrom(res.headers.get('Content-Disposition')) || fallbackName);
}

function filenameFrom(disposition) {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : null;
}

export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name || 'download';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * Sends a file as the raw request body with XMLHttpRequest so the caller sees upload progress.
 * onProgress(percent). Resolves with the JSON answer; rejects with ApiError (not reported:
 * the import page shows 422 reports itself).
 */
export function uploadRaw(path, params, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path, params));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && onProgress) onProgress(Math.round((ev.loaded / ev.total) * 100));
    };
    xhr.onload = () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body);
        return;
      }
      const e = new ApiError(xhr.status, body);
      if (e.status === 401 && onUnauthorized) onUnauthorized(e);
      reject(e);
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.send(file);
  });
}
