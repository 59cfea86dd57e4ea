import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  SESSION_AGE_BUCKETS
} from "./chunk-Q3PXE6AK.js";

// dist/inventory/names.js
function nocaseKey(name) {
  return ASCII.test(name) ? name.toLowerCase() : name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
var ASCII = /^[ -~]*$/;
function compareKeys(a, b) {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
var LAST = String.fromCodePoint(1114111);
function prefixRange(prefix) {
  return [prefix, prefix + LAST];
}
function containsPattern(text) {
  return "%" + text.replace(/[\\%_]/g, (c) => "\\" + c) + "%";
}
function keyRanges(items, nameOf, size) {
  const keyed = items.map((item) => ({ item, key: nocaseKey(nameOf(item)) }));
  const ascii = keyed.every((k) => /^[ -~]*$/.test(k.key));
  const compare = ascii ? (a, b) => a < b ? -1 : a > b ? 1 : 0 : compareKeys;
  keyed.sort((a, b) => compare(a.key, b.key));
  const ranges = [];
  let start = 0;
  do {
    let end = Math.min(start + size, keyed.length);
    while (end < keyed.length && end > start && keyed[end].key === keyed[end - 1].key)
      end++;
    const next = keyed[end];
    ranges.push({
      from: start === 0 ? null : nameOf(keyed[start].item),
      to: next === void 0 ? null : nameOf(next.item),
      items: keyed.slice(start, end).map((k) => k.item)
    });
    start = end;
  } while (start < keyed.length);
  return ranges;
}

// dist/inventory/inventory-repository.js
var NO_AUTO_LOGOUT = 864e13;
var HOUR = 36e5;
var orNull = (text) => text === "" ? null : text;
var iso = (ms) => new Date(ms).toISOString();
function toLiveSession(row) {
  return {
    cluster: row.cluster,
    deviceName: row.device,
    userId: row.user_id,
    profile: orNull(row.profile),
    loginTime: row.login_ms === 0 ? null : iso(row.login_ms),
    autoLogoutAt: row.auto_logout_ms === NO_AUTO_LOGOUT ? null : iso(row.auto_logout_ms),
    devicePool: orNull(row.device_pool),
    model: orNull(row.model),
    description: row.description
  };
}
function toEndedSession(row) {
  return {
    id: row.id,
    cluster: row.cluster,
    deviceName: row.device,
    userId: row.user_id,
    profile: row.profile,
    devicePool: row.device_pool,
    model: row.model,
    description: row.description,
    loginTime: row.login_ms === null ? null : iso(row.login_ms),
    endedAt: iso(row.ended_ms),
    durationSeconds: row.login_ms === null ? null : Math.max(0, Math.round((row.ended_ms - row.login_ms) / 1e3)),
    endedBy: row.ended_by,
    actor: row.actor,
    auditId: row.audit_id
  };
}
function toSessionRow(cluster, s, firstSeenAt) {
  const loginMs = s.loginTime === null ? 0 : Date.parse(s.loginTime);
  return {
    cluster,
    device: s.deviceName,
    user_id: s.userId,
    profile: s.profile ?? "",
    login_ms: loginMs,
    auto_logout_ms: s.loginDurationSeconds === null || loginMs === 0 ? NO_AUTO_LOGOUT : loginMs + s.loginDurationSeconds * 1e3,
    device_pool: s.devicePool ?? "",
    model: s.model ?? "",
    description: s.description,
    first_seen_at: firstSeenAt
  };
}
function sameLogin(a, b) {
  return a.user_id.toLowerCase() === b.user_id.toLowerCase() && a.login_ms === b.login_ms;
}
function sameAttributes(a, b) {
  return a.profile === b.profile && a.auto_logout_ms === b.auto_logout_ms && a.device_pool === b.device_pool && a.model === b.model && a.description === b.description && a.user_id === b.user_id && a.device === b.device;
}
var SORT_COLUMN = {
  loginTime: "login_ms",
  device: "device",
  user: "user_id",
  devicePool: "device_pool",
  model: "model",
  profile: "profile",
  autoLogoutAt: "auto_logout_ms",
  description: "description"
};
function encodeKeyset(values) {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}
function decodeKeyset(cursor, length) {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(values) || values.length !== length)
      return void 0;
    return values.every((v) => typeof v === "string" || typeof v === "number" && Number.isFinite(v)) ? values : void 0;
  } catch {
    return void 0;
  }
}
var Where = class {
  clauses = [];
  params = [];
  add(sql, ...values) {
    this.clauses.push(sql);
    this.params.push(...values);
    return this;
  }
  in(column, values) {
    if (values === void 0 || values.length === 0)
      return this;
    return this.add(`${column} IN (${values.map(() => "?").join(", ")})`, ...values);
  }
  /** A prefix as an index range on a NOCASE column. */
  prefix(column, prefix) {
    if (prefix === void 0)
      return this;
    return this.add(`${column} >= ? AND ${column} < ?`, ...prefixRange(prefix));
  }
  get sql() {
    return this.clauses.length === 0 ? "" : `WHERE ${this.clauses.join(" AND ")}`;
  }
};
function sessionWhere(filters, nowMs) {
  const where = new Where();
  if (filters.cluster !== void 0)
    where.add("cluster = ?", filters.cluster);
  where.in("device_pool", filters.devicePool);
  if (filters.model !== void 0)
    where.add("model = ?", filters.model);
  where.prefix("user_id", filters.user).prefix("device", filters.device);
  if (filters.olderThanHours !== void 0)
    where.add("login_ms > 0 AND login_ms <= ?", Math.floor(nowMs - filters.olderThanHours * HOUR));
  if (filters.q !== void 0) {
    const pattern = containsPattern(filters.q);
    where.add("(device LIKE ? ESCAPE '\\' OR user_id LIKE ? ESCAPE '\\' OR profile LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')", pattern, pattern, pattern, pattern);
  }
  return where;
}
function createInventoryRepository(db, now = () => /* @__PURE__ */ new Date()) {
  const statements = /* @__PURE__ */ new Map();
  function prepared(sql) {
    let statement = statements.get(sql);
    if (statement === void 0) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }
  const stateOf = db.prepare("SELECT * FROM inventory_state WHERE cluster = ?");
  const ensureState = db.prepare("INSERT OR IGNORE INTO inventory_state (cluster) VALUES (?)");
  const attempt = db.prepare("UPDATE inventory_state SET last_attempt_at = ? WHERE cluster = ?");
  const succeed = db.prepare(`UPDATE inventory_state SET as_of = @asOf, refresh_ms = @refreshMs, axl_version = @axlVersion, error_code = NULL, error_message = NULL, error_at = NULL,
      phones = @phones, em_enabled_phones = @emEnabledPhones, sessions = @sessions, users = @users WHERE cluster = @cluster`);
  const fail = db.prepare("UPDATE inventory_state SET error_code = @code, error_message = @message, error_at = @at WHERE cluster = @cluster");
  const phoneCounts = db.prepare("SELECT count(*) AS phones, coalesce(sum(em_enabled), 0) AS enabled FROM inventory_phones WHERE cluster = ?");
  const sessionCounts = db.prepare("SELECT count(*) AS sessions, count(DISTINCT user_id) AS users FROM inventory_sessions WHERE cluster = ?");
  const storedCounts = db.prepare("SELECT phones, em_enabled_phones, sessions, users FROM inventory_state WHERE cluster = ?");
  const upsertPhone = db.prepare(`INSERT INTO inventory_phones (cluster, name, model, description, device_pool, em_enabled) VALUES (@cluster, @name, @model, @description, @device_pool, @em_enabled)
    ON CONFLICT (cluster, name) DO UPDATE SET name = excluded.name, model = excluded.model, description = excluded.description, device_pool = excluded.device_pool, em_enabled = excluded.em_enabled`);
  const deletePhone = db.prepare("DELETE FROM inventory_phones WHERE cluster = ? AND name = ?");
  const upsertSession = db.prepare(`INSERT INTO inventory_sessions (cluster, device, user_id, profile, login_ms, auto_logout_ms, device_pool, model, description, first_seen_at)
    VALUES (@cluster, @device, @user_id, @profile, @login_ms, @auto_logout_ms, @device_pool, @model, @description, @first_seen_at)
    ON CONFLICT (cluster, device) DO UPDATE SET device = excluded.device, user_id = excluded.user_id, profile = excluded.profile, login_ms = excluded.login_ms,
      auto_logout_ms = excluded.auto_logout_ms, device_pool = excluded.device_pool, model = excluded.model, description = excluded.description, first_seen_at = excluded.first_seen_at`);
  const deleteSession = db.prepare("DELETE FROM inventory_sessions WHERE cluster = ? AND device = ?");
  const insertHistory = db.prepare(`INSERT INTO session_history (cluster, device, user_id, profile, device_pool, model, description, login_ms, ended_ms, ended_by, actor, audit_id)
    VALUES (@cluster, @device, @user_id, @profile, @device_pool, @model, @description, @login_ms, @ended_ms, @ended_by, @actor, @audit_id)`);
  const deviceLogout = db.prepare(`SELECT a.id, a.actor, a.finished_at FROM audit_devices ad JOIN audit a ON a.id = ad.audit_id
    WHERE ad.device = ? AND a.cluster = ? AND a.action = 'logout' AND a.outcome = 'success' AND a.started_at >= ? ORDER BY a.id LIMIT 1`);
  const logoutAll = db.prepare("SELECT id, actor, finished_at FROM audit WHERE action = 'logout-all' AND +cluster = ? AND outcome = 'success' AND started_at >= ? ORDER BY id LIMIT 1");
  const purge = db.prepare("DELETE FROM session_history WHERE id IN (SELECT id FROM session_history WHERE ended_ms < ? LIMIT ?)");
  const phoneByName = db.prepare("SELECT * FROM inventory_phones WHERE name = ? AND cluster = ?");
  const sessionByDevice = db.prepare("SELECT * FROM inventory_sessions WHERE device = ? AND cluster = ?");
  function rangeRows(table, column, cluster, range) {
    const clauses = ["cluster = ?"];
    const params = [cluster];
    if (range.from !== null) {
      clauses.push(`${column} >= ?`);
      params.push(range.from);
    }
    if (range.to !== null) {
      clauses.push(`${column} < ?`);
      params.push(range.to);
    }
    return prepared(`SELECT * FROM ${table} WHERE ${clauses.join(" AND ")}`).all(...params);
  }
  function endOf(row, refreshMs, replacedAtMs) {
    const since = iso(row.login_ms === 0 ? Date.parse(row.first_seen_at) : row.login_ms);
    const found = [deviceLogout.get(row.device, row.cluster, since), logoutAll.get(row.cluster, since)];
    const own = found.filter((a) => a !== void 0 && a.finished_at !== null).map((a) => ({ at: Date.parse(a.finished_at), by: "em-console", actor: a.actor, auditId: a.id })).filter((a) => a.at <= (replacedAtMs ?? Number.POSITIVE_INFINITY)).sort((a, b) => a.at - b.at)[0];
    const auto = row.auto_logout_ms <= refreshMs && row.auto_logout_ms <= (replacedAtMs ?? refreshMs) ? row.auto_logout_ms : void 0;
    if (own !== void 0 && (auto === void 0 || own.at <= auto))
      return own;
    if (auto !== void 0)
      return { at: auto, by: "auto-logout", actor: null, auditId: null };
    if (replacedAtMs !== null && replacedAtMs <= refreshMs && replacedAtMs > 0)
      return { at: replacedAtMs, by: "replaced", actor: null, auditId: null };
    return { at: refreshMs, by: "not-seen", actor: null, auditId: null };
  }
  function recordEnded(row, end) {
    insertHistory.run({
      cluster: row.cluster,
      device: row.device,
      user_id: row.user_id,
      profile: orNull(row.profile),
      device_pool: orNull(row.device_pool),
      model: orNull(row.model),
      description: row.description,
      login_ms: row.login_ms === 0 ? null : row.login_ms,
      ended_ms: end.at,
      ended_by: end.by,
      actor: end.actor,
      audit_id: end.auditId
    });
    deleteSession.run(row.cluster, row.device);
  }
  const writes = {
    /** Replaces one name range of a cluster's phones with what AXL listed in it. */
    applyPhones(cluster, range) {
      const current = new Map(rangeRows("inventory_phones", "name", cluster, range).map((r) => [nocaseKey(r.name), r]));
      let changed = 0;
      for (const phone of range.items) {
        const key = nocaseKey(phone.name);
        const row = current.get(key);
        current.delete(key);
        const next = { cluster, name: phone.name, model: phone.model, description: phone.description, device_pool: phone.devicePool, em_enabled: phone.emEnabled ? 1 : 0 };
        if (row !== void 0 && row.name === next.name && row.model === next.model && row.description === next.description && row.device_pool === next.device_pool && row.em_enabled === next.em_enabled)
          continue;
        upsertPhone.run(next);
        changed++;
      }
      for (const gone of current.values())
        deletePhone.run(cluster, gone.name);
      return changed + current.size;
    },
    /**
     * Replaces one device range of a cluster's sessions with what AXL listed in it. A session no
     * longer listed (or replaced by another login on its phone) moves to the history, ended as the
     * audit trail or CUCM's auto-logout says, else at `asOf`, the time of the refresh.
     */
    applySessions(cluster, range, asOf) {
      const at = asOf.toISOString();
      const refreshMs = asOf.getTime();
      const current = new Map(rangeRows("inventory_sessions", "device", cluster, range).map((r) => [nocaseKey(r.device), r]));
      const changes = { started: 0, ended: 0, updated: 0 };
      for (const session of range.items) {
        const key = nocaseKey(session.deviceName);
        const before = current.get(key);
        current.delete(key);
        const next = toSessionRow(cluster, session, at);
        if (before !== void 0 && sameLogin(before, next)) {
          if (sameAttributes(before, next))
            continue;
          upsertSession.run({ ...next, first_seen_at: before.first_seen_at });
          changes.updated++;
          continue;
        }
        if (before !== void 0) {
          recordEnded(before, endOf(before, refreshMs, next.login_ms));
          changes.ended++;
        }
        upsertSession.run(next);
        changes.started++;
      }
      for (const gone of current.values()) {
        recordEnded(gone, endOf(gone, refreshMs, null));
        changes.ended++;
      }
      return changes;
    },
    recordAttempt(cluster, at) {
      ensureState.run(cluster);
      attempt.run(at.toISOString(), cluster);
    },
    /** Marks the refresh good and counts what it stored, once (every status read is then one row). */
    recordSuccess(cluster, result) {
      ensureState.run(cluster);
      const phones = phoneCounts.get(cluster);
      const sessions = sessionCounts.get(cluster);
      const counts = { phones: phones.phones, emEnabledPhones: phones.enabled, sessions: sessions.sessions, users: sessions.users };
      succeed.run({ cluster, asOf: result.asOf.toISOString(), refreshMs: Math.round(result.refreshMs), axlVersion: result.axlVersion, ...counts });
      return counts;
    },
    recordFailure(cluster, error) {
      ensureState.run(cluster);
      fail.run({ cluster, code: error.code, message: error.message, at: now().toISOString() });
    },
    /** Deletes up to `limit` ended sessions older than the cut-off; returns how many. */
    purgeHistory(beforeMs, limit) {
      return purge.run(beforeMs, limit).changes;
    }
  };
  const reads = {
    state(cluster) {
      const row = stateOf.get(cluster);
      if (row === void 0)
        return void 0;
      return {
        cluster: row.cluster,
        asOf: row.as_of,
        refreshMs: row.refresh_ms,
        axlVersion: row.axl_version,
        lastAttemptAt: row.last_attempt_at,
        error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? "", at: row.error_at ?? "" }
      };
    },
    /** What the last good refresh counted (zeros before the first). */
    counts(cluster) {
      const row = storedCounts.get(cluster);
      return { phones: row?.phones ?? 0, emEnabledPhones: row?.em_enabled_phones ?? 0, sessions: row?.sessions ?? 0, users: row?.users ?? 0 };
    },
    /** A keyset page of current sessions; `nowMs` is the clock "older than" counts from. */
    sessionsPage(filters, sort, order, limit, cursor, nowMs) {
      const where = sessionWhere(filters, nowMs);
      const total = prepared(`SELECT count(*) AS n FROM inventory_sessions ${where.sql}`).get(...where.params).n;
      const found = sessionRows(filters, sort, order, limit + 1, cursor === void 0 ? void 0 : decodeKeyset(cursor, 3), nowMs);
      const rows = found.slice(0, limit);
      const last = rows.at(-1);
      const column = SORT_COLUMN[sort];
      return {
        sessions: rows.map(toLiveSession),
        total,
        nextCursor: found.length > limit && last !== void 0 ? encodeKeyset([last[column], last.device, last.cluster]) : null
      };
    },
    /** Every matching session in order, in batches, with no query left open between them (CSV export). */
    *iterateSessions(filters, sort, order, nowMs, batchSize = 500) {
      let after;
      const column = SORT_COLUMN[sort];
      for (; ; ) {
        const batch = sessionRows(filters, sort, order, batchSize, after, nowMs);
        if (batch.length === 0)
          return;
        yield batch.map(toLiveSession);
        const last = batch.at(-1);
        after = [last[column], last.device, last.cluster];
        if (batch.length < batchSize)
          return;
      }
    },
    /** The device, user and cluster of every matching session, oldest login first (a selection for a run). */
    selectDevices(filters, nowMs) {
      const where = sessionWhere(filters, nowMs);
      const rows = prepared(`SELECT cluster, device, user_id FROM inventory_sessions ${where.sql} ORDER BY login_ms, device, cluster`).all(...where.params);
      return rows.map((r) => ({ cluster: r.cluster, deviceName: r.device, userId: r.user_id }));
    },
    summary(filters, nowMs) {
      const where = sessionWhere(filters, nowMs);
      const bounds = SESSION_AGE_BUCKETS.map((hours) => nowMs - hours * HOUR);
      const buckets = bounds.map((_, i) => i === 0 ? "sum(login_ms > ?)" : "sum(login_ms <= ? AND login_ms > ?)");
      const bucketParams = bounds.flatMap((bound, i) => i === 0 ? [bound] : [bounds[i - 1], bound]);
      const totals = prepared(`SELECT count(*) AS total, count(DISTINCT user_id) AS users,
          ${buckets.map((b, i) => `coalesce(${b}, 0) AS b${i}`).join(", ")}, coalesce(sum(login_ms > 0 AND login_ms <= ?), 0) AS last, coalesce(sum(login_ms = 0), 0) AS unknown
        FROM inventory_sessions ${where.sql}`).get(...bucketParams, bounds.at(-1), ...where.params);
      const clusters = prepared(`SELECT cluster, count(*) AS sessions FROM inventory_sessions ${where.sql} GROUP BY cluster ORDER BY cluster`).all(...where.params);
      const pools = prepared(`SELECT cluster, device_pool, count(*) AS sessions FROM inventory_sessions ${where.sql} GROUP BY cluster, device_pool ORDER BY sessions DESC, device_pool`).all(...where.params);
      const oldestWhere = sessionWhere(filters, nowMs).add("login_ms > 0");
      const oldest = prepared(`SELECT * FROM inventory_sessions ${oldestWhere.sql} ORDER BY login_ms, device, cluster LIMIT 1`).get(...oldestWhere.params);
      const ages = SESSION_AGE_BUCKETS.map((hours, i) => {
        const from = i === 0 ? 0 : SESSION_AGE_BUCKETS[i - 1];
        return { label: i === 0 ? `< ${hours} h` : `${ageLabel(from)}\u2013${ageLabel(hours)}`, fromHours: from, toHours: hours, sessions: totals[`b${i}`] ?? 0 };
      });
      const lastHours = SESSION_AGE_BUCKETS.at(-1);
      ages.push({ label: `> ${ageLabel(lastHours)}`, fromHours: lastHours, toHours: null, sessions: totals.last ?? 0 });
      return {
        total: totals.total ?? 0,
        users: totals.users ?? 0,
        phones: totals.total ?? 0,
        clusters,
        devicePools: pools.map((p) => ({ cluster: p.cluster, devicePool: orNull(p.device_pool), sessions: p.sessions })),
        oldest: oldest === void 0 ? null : toLiveSession(oldest),
        ages
      };
    },
    /** Ended sessions, the latest end first, as a keyset page. */
    historyPage(query, limit, cursor) {
      const where = new Where();
      if (query.cluster !== void 0)
        where.add("cluster = ?", query.cluster);
      where.in("device_pool", query.devicePool);
      if (query.model !== void 0)
        where.add("model = ? COLLATE NOCASE", query.model);
      if (query.exact === true) {
        if (query.user !== void 0)
          where.add("user_id = ?", query.user);
        if (query.device !== void 0)
          where.add("device = ?", query.device);
      } else {
        where.prefix("user_id", query.user).prefix("device", query.device);
      }
      if (query.endedBy !== void 0)
        where.add("ended_by = ?", query.endedBy);
      if (query.from !== void 0)
        where.add("ended_ms >= ?", Date.parse(query.from));
      if (query.to !== void 0)
        where.add("ended_ms < ?", Date.parse(query.to));
      if (query.q !== void 0) {
        const pattern = containsPattern(query.q);
        where.add("(device LIKE ? ESCAPE '\\' OR user_id LIKE ? ESCAPE '\\' OR profile LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')", pattern, pattern, pattern, pattern);
      }
      const after = cursor === void 0 ? void 0 : decodeKeyset(cursor, 2);
      if (after !== void 0)
        where.add("(ended_ms, id) < (?, ?)", ...after);
      const found = prepared(`SELECT * FROM session_history ${where.sql} ORDER BY ended_ms DESC, id DESC LIMIT ?`).all(...where.params, limit + 1);
      const rows = found.slice(0, limit);
      const last = rows.at(-1);
      return { sessions: rows.map(toEndedSession), nextCursor: found.length > limit && last !== void 0 ? encodeKeyset([last.ended_ms, last.id]) : null };
    },
    phonesPage(query, limit, cursor) {
      const where = new Where();
      if (query.cluster !== void 0)
        where.add("p.cluster = ?", query.cluster);
      where.in("p.device_pool", query.devicePool);
      if (query.model !== void 0)
        where.add("p.model = ? COLLATE NOCASE", query.model);
      where.prefix("p.name", query.device);
      if (query.emEnabled !== void 0)
        where.add("p.em_enabled = ?", query.emEnabled ? 1 : 0);
      if (query.loggedIn !== void 0)
        where.add(query.loggedIn ? "s.device IS NOT NULL" : "s.device IS NULL");
      const from = "FROM inventory_phones p LEFT JOIN inventory_sessions s ON s.cluster = p.cluster AND s.device = p.name";
      const total = prepared(`SELECT count(*) AS n ${from} ${where.sql}`).get(...where.params).n;
      const after = cursor === void 0 ? void 0 : decodeKeyset(cursor, 2);
      if (after !== void 0)
        where.add("(p.name, p.cluster) > (?, ?)", ...after);
      const found = prepared(`SELECT p.*, s.user_id, s.login_ms ${from} ${where.sql} ORDER BY p.name, p.cluster LIMIT ?`).all(...where.params, limit + 1);
      const rows = found.slice(0, limit);
      const last = rows.at(-1);
      return {
        phones: rows.map((r) => ({
          cluster: r.cluster,
          name: r.name,
          model: r.model,
          description: r.description,
          devicePool: r.device_pool,
          emEnabled: r.em_enabled === 1,
          userId: r.user_id,
          loginTime: r.login_ms === null || r.login_ms === 0 ? null : iso(r.login_ms)
        })),
        total,
        nextCursor: found.length > limit && last !== void 0 ? encodeKeyset([last.name, last.cluster]) : null
      };
    },
    /** What the inventory holds of one device of a cluster (its phone row and its session). */
    device(name, cluster) {
      const phone = phoneByName.get(name, cluster);
      const session = phone === void 0 ? void 0 : sessionByDevice.get(name, phone.cluster);
      return {
        phone: phone === void 0 ? void 0 : { cluster: phone.cluster, model: phone.model, devicePool: phone.device_pool, emEnabled: phone.em_enabled === 1 },
        session: session === void 0 ? void 0 : toLiveSession(session)
      };
    },
    /** The current sessions of a user (exact ID), for user look-ups. */
    sessionsOfUser(userId) {
      return prepared("SELECT * FROM inventory_sessions WHERE user_id = ? ORDER BY login_ms, device").all(userId).map(toLiveSession);
    }
  };
  function sessionRows(filters, sort, order, limit, after, nowMs) {
    const where = sessionWhere(filters, nowMs);
    const column = SORT_COLUMN[sort];
    const direction = order === "asc" ? "ASC" : "DESC";
    if (after !== void 0)
      where.add(`(${column}, device, cluster) ${order === "asc" ? ">" : "<"} (?, ?, ?)`, ...after);
    return prepared(`SELECT * FROM inventory_sessions ${where.sql} ORDER BY ${column} ${direction}, device ${direction}, cluster ${direction} LIMIT ?`).all(...where.params, limit);
  }
  return { reads, writes };
}
function ageLabel(hours) {
  return hours % 24 === 0 ? `${hours / 24} d` : `${hours} h`;
}

export {
  keyRanges,
  decodeKeyset,
  createInventoryRepository
};
