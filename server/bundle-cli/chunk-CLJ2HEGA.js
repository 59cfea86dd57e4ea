import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  createAccountsRepository,
  createSessionsRepository
} from "./chunk-OHDZHCUG.js";
import {
  MIGRATIONS_DIR
} from "./chunk-CXTABL7R.js";
import {
  createInventoryRepository
} from "./chunk-Z63I4LD7.js";
import {
  silentLog
} from "./chunk-DNYFGISX.js";

// dist/audit/audit-repository.js
var MAX_RESPONSE_BODY = 64 * 1024;
var MAX_COUNTED = 1e4;
var SUMMARY_COLUMNS = ["id", "run_id", "started_at", "finished_at", "duration_ms", "actor", "client_ip", "trigger", "action", "devices", "user_id", "outcome", "emapi_code", "error_code", "message", "http_status", "cluster"].map((c) => `audit.${c}`).join(", ");
function toSummary(row) {
  return {
    id: row.id,
    runId: row.run_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    actor: row.actor,
    clientIp: row.client_ip,
    trigger: row.trigger,
    action: row.action,
    devices: JSON.parse(row.devices),
    userId: row.user_id,
    outcome: row.outcome,
    emapiCode: row.emapi_code,
    errorCode: row.error_code,
    message: row.message,
    httpStatus: row.http_status,
    cluster: row.cluster
  };
}
function toRecord(row) {
  return { ...toSummary(row), requestXml: row.request_xml ?? null, responseBody: row.response_body ?? null };
}
function prefixPattern(text) {
  return text.replace(/[\\%_]/g, (c) => "\\" + c) + "%";
}
function ftsQuery(text) {
  const terms = text.split(/[\s\p{Cc}]+/u).filter((t) => /[\p{L}\p{N}]/u.test(t)).map((t) => `"${t.replace(/"/g, '""')}"`);
  return terms.length === 0 ? void 0 : terms.join(" ");
}
function encodeCursor(id) {
  return Buffer.from(String(id)).toString("base64url");
}
function decodeCursor(cursor) {
  const id = Number(Buffer.from(cursor, "base64url").toString());
  return Number.isSafeInteger(id) && id > 0 ? id : void 0;
}
var EM_DISABLED_CODES = [22, 5];
function createAuditRepository(db, now = () => /* @__PURE__ */ new Date()) {
  const insert = db.prepare(`INSERT INTO audit (run_id, started_at, actor, client_ip, trigger, action, devices, user_id, outcome, request_xml, cluster)
    VALUES (@runId, @startedAt, @actor, @clientIp, @trigger, @action, @devices, @userId, 'pending', @requestXml, @cluster)`);
  const insertFinished = db.prepare(`INSERT INTO audit (run_id, started_at, finished_at, duration_ms, actor, client_ip, trigger, action, devices, user_id,
      outcome, emapi_code, error_code, message, http_status, request_xml, response_body, cluster)
    VALUES (@runId, @startedAt, @finishedAt, CAST(round((julianday(@finishedAt) - julianday(@startedAt)) * 86400000) AS INTEGER), @actor, @clientIp, @trigger, @action, @devices, @userId,
      @outcome, @emapiCode, @errorCode, @message, @httpStatus, @requestXml, @responseBody, @cluster)`);
  const insertDevice = db.prepare("INSERT OR IGNORE INTO audit_devices (device, audit_id) VALUES (?, ?)");
  const finishRow = db.prepare(`UPDATE audit SET finished_at = @finishedAt,
      duration_ms = CAST(round((julianday(@finishedAt) - julianday(started_at)) * 86400000) AS INTEGER),
      outcome = @outcome, emapi_code = @emapiCode, error_code = @errorCode, message = @message, http_status = @httpStatus,
      request_xml = coalesce(@requestXml, request_xml), response_body = @responseBody
    WHERE id = @id AND outcome = 'pending'`);
  const interruptAll = db.prepare(`UPDATE audit SET outcome = 'interrupted', finished_at = ?,
      message = 'The server stopped before this action finished; CUCM may or may not have carried it out.'
    WHERE outcome = 'pending'`);
  const byId = db.prepare("SELECT * FROM audit WHERE id = ?");
  const pendingOf = db.prepare("SELECT id FROM audit WHERE action = ? AND (cluster IS ? OR cluster IS NULL) AND outcome = 'pending' AND started_at > ? ORDER BY id DESC LIMIT 1");
  const assignCluster = db.prepare("UPDATE audit SET cluster = ? WHERE id >= ? AND id < ? AND cluster IS NULL AND action IN (SELECT value FROM json_each(?))");
  const firstIdFrom = db.prepare("SELECT id FROM audit WHERE started_at >= ? ORDER BY started_at, id LIMIT 1");
  const latestEmFact = db.prepare(`SELECT outcome, emapi_code AS emapiCode, coalesce(finished_at, started_at) AS at FROM audit
    WHERE action IN ('login', 'logout') AND json_extract(devices, '$[0]') = ? COLLATE NOCASE
      AND (outcome IN ('success', 'already-logged-out') OR (outcome = 'failure' AND emapi_code IN (${EM_DISABLED_CODES.join(", ")})))
    ORDER BY id DESC LIMIT 1`);
  const pageCache = /* @__PURE__ */ new Map();
  function pendingParams(entry) {
    return {
      runId: entry.runId ?? null,
      startedAt: (entry.startedAt ?? now()).toISOString(),
      actor: entry.actor,
      clientIp: entry.clientIp ?? null,
      trigger: entry.trigger,
      action: entry.action,
      devices: JSON.stringify(entry.devices ?? []),
      userId: entry.userId ?? null,
      requestXml: entry.requestXml ?? null,
      cluster: entry.cluster ?? null
    };
  }
  function finishedParams(entry, finishedAt) {
    return {
      finishedAt,
      outcome: entry.outcome,
      emapiCode: entry.emapiCode ?? null,
      errorCode: entry.errorCode ?? null,
      message: entry.message,
      httpStatus: entry.httpStatus ?? null,
      requestXml: entry.requestXml ?? null,
      responseBody: entry.responseBody === void 0 ? null : entry.responseBody.slice(0, MAX_RESPONSE_BODY)
    };
  }
  function insertRow(statement, params2, devices) {
    const id = Number(statement.run(params2).lastInsertRowid);
    for (const device of devices)
      insertDevice.run(device, id);
    return id;
  }
  function insertPending(entry) {
    return insertRow(insert, pendingParams(entry), entry.devices ?? []);
  }
  function record(entry, result, finishedAt = now().toISOString()) {
    const params2 = { ...pendingParams(entry), ...finishedParams(result, finishedAt), requestXml: result.requestXml ?? entry.requestXml ?? null };
    return insertRow(insertFinished, params2, entry.devices ?? []);
  }
  function finish(id, entry) {
    finishRow.run({ id, ...finishedParams(entry, now().toISOString()) });
  }
  function where(filter, beforeId) {
    const clauses = [];
    const params2 = [];
    const add = (sql, ...values) => {
      clauses.push(sql);
      params2.push(...values);
    };
    if (filter.action !== void 0)
      add("audit.action = ?", filter.action);
    if (filter.outcome !== void 0)
      add("audit.outcome = ?", filter.outcome);
    if (filter.trigger !== void 0)
      add("audit.trigger = ?", filter.trigger);
    if (filter.runId !== void 0)
      add("audit.run_id = ?", filter.runId);
    if (filter.cluster !== void 0)
      add("audit.cluster = ?", filter.cluster);
    if (filter.actor !== void 0)
      add("audit.actor LIKE ? ESCAPE '\\'", prefixPattern(filter.actor));
    if (filter.user !== void 0)
      add("audit.id IN (SELECT id FROM audit WHERE user_id LIKE ? ESCAPE '\\')", prefixPattern(filter.user));
    if (filter.device !== void 0)
      add("audit.id IN (SELECT audit_id FROM audit_devices WHERE device LIKE ? ESCAPE '\\')", prefixPattern(filter.device));
    const text = filter.q === void 0 ? void 0 : ftsQuery(filter.q);
    if (text !== void 0)
      add("audit_text MATCH ?", text);
    if (filter.from !== void 0)
      add("audit.id >= ?", idFrom(filter.from));
    if (filter.to !== void 0)
      add("audit.id < ?", idFrom(filter.to));
    if (beforeId !== void 0)
      add("audit.id < ?", beforeId);
    return { sql: clauses.length === 0 ? "" : `WHERE ${clauses.join(" AND ")}`, params: params2 };
  }
  function idFrom(iso) {
    const row = firstIdFrom.get(new Date(iso).toISOString());
    return row?.id ?? Number.MAX_SAFE_INTEGER;
  }
  function prepared(sql) {
    let statement = pageCache.get(sql);
    if (statement === void 0) {
      statement = db.prepare(sql);
      pageCache.set(sql, statement);
    }
    return statement;
  }
  function rows(filter, limit, beforeId, columns) {
    const { sql, params: params2 } = where(filter, beforeId);
    const from = filter.q !== void 0 && ftsQuery(filter.q) !== void 0 ? `audit_text JOIN audit ON audit.id = audit_text.rowid ${sql} ORDER BY audit_text.rowid DESC` : `audit ${sql} ORDER BY id DESC`;
    return prepared(`SELECT ${columns} FROM ${from} LIMIT ?`).all([...params2, limit]);
  }
  function count(filter, cap) {
    const given = Object.entries(filter).filter(([, value]) => value !== void 0).map(([key]) => key);
    const text = filter.q === void 0 ? void 0 : ftsQuery(filter.q);
    const alone = given.length === 1 ? given[0] : void 0;
    let inner;
    if (alone === "q" && text !== void 0)
      inner = { sql: "SELECT 1 FROM audit_text WHERE audit_text MATCH ?", params: [text] };
    else if (alone === "device")
      inner = { sql: "SELECT DISTINCT audit_id FROM audit_devices WHERE device LIKE ? ESCAPE '\\'", params: [prefixPattern(filter.device ?? "")] };
    else if (alone === "user")
      inner = { sql: "SELECT 1 FROM audit WHERE user_id LIKE ? ESCAPE '\\'", params: [prefixPattern(filter.user ?? "")] };
    else {
      const { sql, params: params2 } = where(filter);
      inner = { sql: `SELECT 1 FROM ${text === void 0 ? "audit" : "audit_text JOIN audit ON audit.id = audit_text.rowid"} ${sql}`, params: params2 };
    }
    const { n } = prepared(`SELECT count(*) AS n FROM (${inner.sql} LIMIT ?)`).get([...inner.params, cap + 1]);
    return n > cap ? { total: cap, totalIsLowerBound: true } : { total: n, totalIsLowerBound: false };
  }
  const writes = {
    insertPending,
    finish,
    /** A record written finished, in one go: look-ups, sign-ins, refusals (nothing was pending). */
    record,
    /** At boot: actions left pending by a crash become `interrupted`. Returns how many. */
    markInterrupted() {
      return interruptAll.run(now().toISOString()).changes;
    },
    /**
     * Inserts a pending row unless one of the same action, younger than maxAgeMs, is already
     * pending (in any process): the store runs every write in an IMMEDIATE transaction.
     */
    insertPendingIfIdle(entry, maxAgeMs) {
      const since = new Date(now().getTime() - maxAgeMs).toISOString();
      const running = pendingOf.get(entry.action, entry.cluster ?? null, since);
      return running === void 0 ? { id: insertPending(entry) } : { runningId: running.id };
    },
    /**
     * Names the cluster of rows written before there were several (migration 010): those of
     * `actions` with ids in [fromId, toId) and no cluster yet. Returns how many changed.
     */
    assignCluster(cluster, fromId, toId, actions) {
      return assignCluster.run(cluster, fromId, toId, JSON.stringify(actions)).changes;
    }
  };
  const reads = {
    get(id) {
      const row = byId.get(id);
      return row === void 0 ? void 0 : toRecord(row);
    },
    /** A page of the filter, and how many rows the filter matches in all (up to MAX_COUNTED). */
    page(filter, limit, cursor) {
      const beforeId = cursor === void 0 ? void 0 : decodeCursor(cursor);
      const found = rows(filter, limit + 1, beforeId, SUMMARY_COLUMNS);
      const items = found.slice(0, limit).map(toSummary);
      const last = items.at(-1);
      const total = beforeId === void 0 && found.length <= limit ? { total: found.length, totalIsLowerBound: false } : count(filter, MAX_COUNTED);
      return { items, nextCursor: found.length > limit && last !== void 0 ? encodeCursor(last.id) : null, ...total };
    },
    /**
     * Every matching record without its XML, newest first, read in batches so no query stays open
     * between them (the export of a million rows then holds one batch at a time).
     */
    *iterate(filter, batchSize = 1e3) {
      let beforeId;
      for (; ; ) {
        const batch = rows(filter, batchSize, beforeId, SUMMARY_COLUMNS);
        if (batch.length === 0)
          return;
        yield batch.map(toSummary);
        beforeId = batch.at(-1)?.id;
      }
    },
    /**
     * A logout counts when it ended a login (outcome success); one that found nobody logged in
     * (code 19, `already-logged-out`) changed nothing and is counted apart, never as a logout.
     */
    /** Per device (by lower-case name), what the latest telling login or logout answer said of EM; absent when none did. */
    emFacts(devices) {
      const facts = /* @__PURE__ */ new Map();
      for (const device of devices) {
        const row = latestEmFact.get(device);
        if (row !== void 0)
          facts.set(device.toLowerCase(), { emEnabled: row.outcome !== "failure", emapiCode: row.emapiCode, at: row.at });
      }
      return facts;
    },
    stats(days) {
      const today = now().toISOString().slice(0, 10);
      const since = new Date(Date.parse(today) - (days - 1) * 864e5).toISOString();
      const grouped = prepared(`SELECT substr(started_at, 1, 10) AS date,
          sum(action IN ('logout-all', 'logout', 'login') AND outcome = 'success') AS success,
          sum(outcome IN ('failure', 'error', 'interrupted')) AS failure,
          sum(action LIKE '%-query' AND outcome = 'success') AS lookups,
          sum(action IN ('logout-all', 'logout') AND outcome = 'success') AS logouts,
          sum(action = 'logout' AND outcome = 'already-logged-out') AS already
        FROM audit WHERE id >= ? GROUP BY date ORDER BY date`).all(idFrom(since));
      const byDate = new Map(grouped.map((g) => [g.date, g]));
      const list = Array.from({ length: days }, (_, i) => {
        const date = new Date(Date.parse(since) + i * 864e5).toISOString().slice(0, 10);
        const g = byDate.get(date);
        return { date, success: g?.success ?? 0, failure: g?.failure ?? 0, lookups: g?.lookups ?? 0 };
      });
      const t = byDate.get(today);
      return { days: list, today: { logouts: t?.logouts ?? 0, alreadyLoggedOut: t?.already ?? 0, failures: t?.failure ?? 0, lookups: t?.lookups ?? 0 } };
    }
  };
  return { reads, writes };
}

// dist/clusters/cluster-repository.js
function toCluster(row) {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    appUser: row.app_user,
    appPasswordSealed: row.app_password,
    caPem: row.ca_pem,
    tlsInsecure: row.tls_insecure === 1,
    timeoutMs: row.timeout_ms,
    maxConcurrency: row.max_concurrency,
    timezone: row.timezone,
    enabled: row.enabled === 1,
    axlHost: row.axl_host,
    axlPort: row.axl_port,
    axlUser: row.axl_user,
    axlPasswordSealed: row.axl_password,
    axlVersion: row.axl_version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by
  };
}
function params(fields) {
  return {
    id: fields.id,
    name: fields.name,
    host: fields.host,
    port: fields.port,
    appUser: fields.appUser,
    appPassword: fields.appPasswordSealed,
    caPem: fields.caPem,
    tlsInsecure: fields.tlsInsecure ? 1 : 0,
    timeoutMs: fields.timeoutMs,
    maxConcurrency: fields.maxConcurrency,
    timezone: fields.timezone,
    enabled: fields.enabled ? 1 : 0,
    axlHost: fields.axlHost,
    axlPort: fields.axlPort,
    axlUser: fields.axlUser,
    axlPassword: fields.axlPasswordSealed,
    axlVersion: fields.axlVersion
  };
}
function createClusterRepository(db, now = () => /* @__PURE__ */ new Date()) {
  const all = db.prepare("SELECT * FROM clusters ORDER BY rowid");
  const byId = db.prepare("SELECT * FROM clusters WHERE id = ?");
  const insert = db.prepare(`INSERT INTO clusters (id, name, host, port, app_user, app_password, ca_pem, tls_insecure, timeout_ms, max_concurrency, timezone, enabled,
      axl_host, axl_port, axl_user, axl_password, axl_version, created_at, created_by, updated_at, updated_by)
    VALUES (@id, @name, @host, @port, @appUser, @appPassword, @caPem, @tlsInsecure, @timeoutMs, @maxConcurrency, @timezone, @enabled,
      @axlHost, @axlPort, @axlUser, @axlPassword, @axlVersion, @at, @actor, @at, @actor)`);
  const update = db.prepare(`UPDATE clusters SET name = @name, host = @host, port = @port, app_user = @appUser, app_password = @appPassword, ca_pem = @caPem,
      tls_insecure = @tlsInsecure, timeout_ms = @timeoutMs, max_concurrency = @maxConcurrency, timezone = @timezone, enabled = @enabled,
      axl_host = @axlHost, axl_port = @axlPort, axl_user = @axlUser, axl_password = @axlPassword, axl_version = @axlVersion,
      updated_at = @at, updated_by = @actor
    WHERE id = @id`);
  const remove = db.prepare("DELETE FROM clusters WHERE id = ?");
  const get = (id) => {
    const row = byId.get(id);
    return row === void 0 ? void 0 : toCluster(row);
  };
  return {
    reads: {
      list: () => all.all().map(toCluster),
      get
    },
    writes: {
      insert(fields, actor) {
        insert.run({ ...params(fields), at: now().toISOString(), actor });
        return get(fields.id);
      },
      update(fields, actor) {
        const changes = update.run({ ...params(fields), at: now().toISOString(), actor }).changes;
        return changes === 0 ? void 0 : get(fields.id);
      },
      delete(id) {
        return remove.run(id).changes > 0;
      }
    }
  };
}

// dist/runs/run-repository.js
var toItem = (row) => ({
  seq: row.seq,
  device: row.device,
  cluster: row.cluster,
  userId: row.user_id,
  profile: row.profile,
  durationMinutes: row.duration_minutes,
  outcome: row.outcome,
  emapiCode: row.emapi_code,
  message: row.message,
  auditId: row.audit_id,
  finishedAt: row.finished_at,
  verified: row.verified === null ? null : row.verified === 1
});
function createRunRepository(db, now = () => /* @__PURE__ */ new Date()) {
  const insertRun = db.prepare(`INSERT INTO runs (id, action, state, trigger, actor, parent_run_id, verify_after_ms, created_at)
    VALUES (@id, @action, 'previewing', @trigger, @actor, @parentRunId, @verifyAfterMs, @now)`);
  const insertItem = db.prepare(`INSERT INTO run_items (run_id, seq, device, cluster, user_id, profile, duration_minutes, outcome, message)
    VALUES (@runId, @seq, @device, @cluster, @userId, @profile, @durationMinutes, @outcome, @message)`);
  const setState = db.prepare(`UPDATE runs SET state = @state,
      started_at = CASE WHEN @state = 'running' THEN @now ELSE started_at END,
      finished_at = CASE WHEN @state IN ('done', 'cancelled', 'interrupted') THEN @now ELSE finished_at END
    WHERE id = @id`);
  const finishItem = db.prepare(`UPDATE run_items SET outcome = @outcome, emapi_code = @emapiCode, message = @message, audit_id = @auditId, finished_at = @now
    WHERE run_id = @runId AND seq = @seq`);
  const previewItem = db.prepare(`UPDATE run_items SET user_id = @userId, cluster = @cluster, outcome = @outcome, message = @message
    WHERE run_id = @runId AND seq = @seq AND outcome = 'pending'`);
  const endPending = db.prepare("UPDATE run_items SET outcome = ?, message = ?, finished_at = ? WHERE run_id = ? AND outcome = 'pending'");
  const sentRow = `SELECT audit.id FROM audit JOIN audit_devices ON audit_devices.audit_id = audit.id
    WHERE audit.run_id = run_items.run_id AND audit_devices.device = run_items.device AND (run_items.cluster IS NULL OR audit.cluster = run_items.cluster)
      AND audit.action IN ('login', 'logout') AND audit.outcome = 'pending' ORDER BY audit.id DESC LIMIT 1`;
  const interruptSent = db.prepare(`UPDATE run_items SET outcome = 'interrupted', message = ?, finished_at = ?, audit_id = (${sentRow})
    WHERE run_id = ? AND outcome = 'pending' AND EXISTS (${sentRow})`);
  const failVerification = db.prepare("UPDATE runs SET verify_error = ? WHERE id = ? AND verified_at IS NULL");
  const failLostVerifications = db.prepare(`UPDATE runs SET verify_error = ?
    WHERE verify_after_ms IS NOT NULL AND finished_at IS NOT NULL AND verified_at IS NULL AND verify_error IS NULL`);
  const verifyItem = db.prepare("UPDATE run_items SET verified = ? WHERE run_id = ? AND seq = ?");
  const verified = db.prepare("UPDATE runs SET verified_at = ? WHERE id = ?");
  const byId = db.prepare("SELECT * FROM runs WHERE id = ?");
  const items = db.prepare("SELECT * FROM run_items WHERE run_id = ? ORDER BY seq");
  const counts = db.prepare("SELECT outcome, count(*) AS n FROM run_items WHERE run_id = ? GROUP BY outcome");
  const verifiedCounts = db.prepare("SELECT count(verified) AS checked, coalesce(sum(verified), 0) AS confirmed FROM run_items WHERE run_id = ?");
  const recent = db.prepare("SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?");
  const unfinished = db.prepare("SELECT id FROM runs WHERE state IN ('previewing', 'running', 'cancelling')");
  function summary(row) {
    const byOutcome = Object.fromEntries(counts.all(row.id).map((c) => [c.outcome, c.n]));
    const total = Object.values(byOutcome).reduce((a, b) => a + b, 0);
    const verifyAt = row.verify_after_ms === null || row.finished_at === null ? null : new Date(Date.parse(row.finished_at) + row.verify_after_ms).toISOString();
    return {
      id: row.id,
      action: row.action,
      state: row.state,
      trigger: row.trigger,
      actor: row.actor,
      parentRunId: row.parent_run_id,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      verifyAt,
      verifiedAt: row.verified_at,
      verifyError: row.verify_error,
      recheck: row.verified_at === null ? null : verifiedCounts.get(row.id),
      total,
      counts: byOutcome
    };
  }
  const writes = {
    create(run) {
      insertRun.run({ ...run, parentRunId: run.parentRunId ?? null, verifyAfterMs: run.verifyAfterMs ?? null, now: now().toISOString() });
    },
    addItems(runId, list) {
      list.forEach((item, seq) => insertItem.run({
        runId,
        seq,
        device: item.device,
        cluster: item.cluster ?? null,
        userId: item.userId,
        profile: item.profile ?? null,
        durationMinutes: item.durationMinutes ?? null,
        outcome: item.outcome,
        message: item.message ?? null
      }));
    },
    /** What the look-up found for items added pending: who is on the device and on which cluster, or why it is not run. */
    previewItems(runId, list) {
      for (const item of list)
        previewItem.run({ runId, seq: item.seq, userId: item.userId, cluster: item.cluster, outcome: item.outcome, message: item.message });
    },
    setState(id, state) {
      setState.run({ id, state, now: now().toISOString() });
    },
    finishItem(runId, seq, result) {
      finishItem.run({ runId, seq, outcome: result.outcome, emapiCode: result.emapiCode ?? null, message: result.message, auditId: result.auditId ?? null, now: now().toISOString() });
    },
    /** Items still pending will not be sent: they end as `outcome` with `message`. */
    endPending(runId, outcome, message) {
      return endPending.run(outcome, message, now().toISOString(), runId).changes;
    },
    /** At boot: pending items whose request was sent when the server stopped, linked to that audit row. */
    interruptSent(runId, message) {
      return interruptSent.run(message, now().toISOString(), runId).changes;
    },
    /** The re-check did not happen or failed: the run says why instead of waiting for ever. */
    failVerification(runId, reason) {
      failVerification.run(reason, runId);
    },
    /** At boot: re-checks that were waiting in a server that stopped will not happen. */
    failLostVerifications(reason) {
      return failLostVerifications.run(reason).changes;
    },
    recordVerification(runId, results) {
      for (const r of results)
        verifyItem.run(Number(r.verified), runId, r.seq);
      verified.run(now().toISOString(), runId);
    }
  };
  const reads = {
    summary(id) {
      const row = byId.get(id);
      return row === void 0 ? void 0 : summary(row);
    },
    items(id) {
      return items.all(id).map(toItem);
    },
    /** A page of items in run order after `after` (a seq), optionally only some outcomes. */
    itemsPage(id, query) {
      const { limit } = query;
      const outcomes = query.outcomes ?? [];
      const filter = outcomes.length === 0 ? "" : `AND outcome IN (${outcomes.map(() => "?").join(", ")})`;
      const rows = db.prepare(`SELECT * FROM run_items WHERE run_id = ? AND seq > ? ${filter} ORDER BY seq LIMIT ?`).all(id, query.after ?? -1, ...outcomes, limit + 1);
      const page = rows.slice(0, limit).map(toItem);
      return { items: page, nextAfter: rows.length > limit ? page.at(-1)?.seq ?? null : null };
    },
    recent(limit) {
      return recent.all(limit).map(summary);
    },
    /** At boot: runs a stopped server left unfinished. */
    unfinished() {
      return unfinished.all().map((r) => r.id);
    }
  };
  return { reads, writes };
}

// dist/schedules/schedule-repository.js
var strings = (value) => Array.isArray(value) ? value.filter((p) => typeof p === "string") : null;
function targetOf(schedule) {
  const target = Object.fromEntries(Object.entries({ list: schedule.list, hours: schedule.hours, pools: schedule.pools, clusters: schedule.clusters }).filter(([, value]) => value != null));
  return Object.keys(target).length === 0 ? null : JSON.stringify(target);
}
function readTarget(target) {
  const parsed = target === null ? {} : JSON.parse(target);
  return {
    list: typeof parsed.list === "string" ? parsed.list : null,
    hours: typeof parsed.hours === "number" ? parsed.hours : null,
    pools: strings(parsed.pools),
    clusters: strings(parsed.clusters)
  };
}
function toSchedule(row) {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    action: row.action,
    ...readTarget(row.target),
    enabled: row.enabled === 1,
    managedByConfig: row.managed_by_config === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRunAt: row.last_run_at,
    lastOutcome: row.last_outcome,
    lastMessage: row.last_message,
    lastAuditId: row.last_audit_id
  };
}
function createScheduleRepository(db, now = () => /* @__PURE__ */ new Date()) {
  const all = db.prepare("SELECT * FROM schedules ORDER BY name");
  const byId = db.prepare("SELECT * FROM schedules WHERE id = ?");
  const byName = db.prepare("SELECT * FROM schedules WHERE name = ?");
  const insert = db.prepare(`INSERT INTO schedules (name, cron, timezone, action, target, enabled, managed_by_config, created_by, created_at, updated_at)
    VALUES (@name, @cron, @timezone, @action, @target, @enabled, @managedByConfig, @createdBy, @at, @at)`);
  const update = db.prepare(`UPDATE schedules SET name = @name, cron = @cron, timezone = @timezone, action = @action, target = @target, enabled = @enabled,
      managed_by_config = @managedByConfig, updated_at = @at WHERE id = @id`);
  const remove = db.prepare("DELETE FROM schedules WHERE id = ?");
  const run = db.prepare("UPDATE schedules SET last_run_at = @at, last_outcome = @outcome, last_message = @message, last_audit_id = @auditId WHERE id = @id");
  const get = (id) => {
    const row = byId.get(id);
    return row === void 0 ? void 0 : toSchedule(row);
  };
  const reads = {
    get,
    list: () => all.all().map(toSchedule),
    findByName(name) {
      const row = byName.get(name);
      return row === void 0 ? void 0 : toSchedule(row);
    }
  };
  const writes = {
    create(schedule) {
      const id = Number(insert.run({
        name: schedule.name,
        cron: schedule.cron,
        timezone: schedule.timezone,
        action: schedule.action,
        createdBy: schedule.createdBy,
        target: targetOf(schedule),
        enabled: schedule.enabled ? 1 : 0,
        managedByConfig: schedule.managedByConfig === true ? 1 : 0,
        at: now().toISOString()
      }).lastInsertRowid);
      return get(id);
    },
    update(id, changes) {
      const current = get(id);
      if (current === void 0)
        return void 0;
      const next = { ...current, ...changes };
      update.run({ id, name: next.name, cron: next.cron, timezone: next.timezone, action: next.action, target: targetOf(next), enabled: next.enabled ? 1 : 0, managedByConfig: next.managedByConfig ? 1 : 0, at: now().toISOString() });
      return get(id);
    },
    delete: (id) => remove.run(id).changes > 0,
    recordRun(id, record) {
      run.run({ id, ...record });
    }
  };
  return { reads, writes };
}

// dist/store/database.js
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
function openDatabase(path) {
  if (path !== ":memory:")
    mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("busy_timeout = 5000");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  migrate(db);
  db.pragma("busy_timeout = 0");
  return db;
}
function migrate(db) {
  const current = db.pragma("user_version", { simple: true });
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-.*\.sql$/.test(f)).sort();
  for (const file of files) {
    const version = Number.parseInt(file.slice(0, 3), 10);
    if (version <= current)
      continue;
    const sql = readFileSync(new URL(file, MIGRATIONS_DIR), "utf8");
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}

// dist/store/settings-repository.js
import { randomBytes } from "node:crypto";
function createSettingsRepository(db) {
  const select = db.prepare("SELECT value FROM settings WHERE key = ?");
  const upsert = db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const insertNew = db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)");
  const remove = db.prepare("DELETE FROM settings WHERE key = ?");
  const get = (key) => select.get(key)?.value;
  return {
    reads: { get },
    writes: {
      get,
      set(key, value) {
        upsert.run(key, value);
      },
      delete(key) {
        remove.run(key);
      },
      /** The stored value, or a new random one stored first (the same value wins across processes). */
      secret(key, bytes = 32) {
        insertNew.run(key, randomBytes(bytes).toString("base64url"));
        return get(key) ?? "";
      }
    }
  };
}

// dist/store/write-queue.js
function isTransient(error) {
  const code = error.code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|NOMEM|PROTOCOL)/.test(code);
}
var WriteQueue = class {
  #db;
  #log;
  #deferMs;
  #batchAt;
  #retryMinMs;
  #retryMaxMs;
  #commitBatch;
  #queue = [];
  #deferTimer;
  #retryTimer;
  /** While the database refuses writes, attempts wait for the retry timer. */
  #waiting = false;
  #backoffMs = 0;
  #failingSince;
  #lastError;
  #closed = false;
  /** A commit's attempt is on its way (at the end of this turn of the event loop). */
  #soon = false;
  #writing;
  #now;
  constructor(db, options = {}) {
    this.#db = db;
    this.#log = options.log ?? silentLog;
    this.#deferMs = options.deferMs ?? 10;
    this.#batchAt = options.batchAt ?? 200;
    this.#retryMinMs = options.retryMinMs ?? 20;
    this.#retryMaxMs = options.retryMaxMs ?? 2e3;
    this.#now = options.now ?? (() => /* @__PURE__ */ new Date());
    const batch = db.transaction((entries) => entries.map((e) => {
      this.#writing = e.at;
      try {
        return e.write();
      } finally {
        this.#writing = void 0;
      }
    }));
    this.#commitBatch = (entries) => batch.immediate(entries);
  }
  /**
   * Writes now, in order after everything queued; resolves once committed, rejects if the write
   * itself fails. The commits asked within one turn of the event loop share a transaction (a
   * logout-all of 30 clusters asks 30 at once, and their 30 answers arrive together): the attempt
   * runs once the turn's I/O callbacks are done.
   */
  async commit(write, label) {
    if (this.#closed)
      throw new Error(`The database is closed: cannot write ${label}.`);
    return await new Promise((resolve, reject) => {
      this.#queue.push({ write, label, at: this.#now(), settle: { resolve, reject } });
      if (this.#soon)
        return;
      this.#soon = true;
      setImmediate(() => {
        this.#soon = false;
        this.#attempt();
      });
    });
  }
  /** Writes within a few milliseconds, committed together with its neighbours; `scope`: what it writes. */
  defer(write, label, scope) {
    if (this.#closed)
      throw new Error(`The database is closed: cannot write ${label}.`);
    this.#queue.push({ write, label, at: this.#now(), scope });
    if (this.#queue.length >= this.#batchAt)
      this.#attempt();
    else
      this.#deferTimer ??= setTimeout(() => {
        this.#deferTimer = void 0;
        this.#attempt();
      }, this.#deferMs);
  }
  /** Commits what is queued, unless the database is refusing writes (then the retry timer will). */
  flush() {
    this.#attempt();
  }
  /**
   * Whether a read of these scopes must commit the queue first: it holds a write someone waits
   * for, or a deferred write of one of them (or of no stated scope).
   */
  holdsFor(scopes) {
    return this.#queue.some((e) => e.settle !== void 0 || e.scope === void 0 || scopes.includes(e.scope));
  }
  /** The time of the write being committed, else the clock's: repositories stamp rows with it. */
  now() {
    return this.#writing ?? this.#now();
  }
  get queued() {
    return this.#queue.length;
  }
  /** Whether writes are failing, since when and why (for health and tests). */
  get problem() {
    return this.#failingSince === void 0 ? void 0 : { since: new Date(this.#failingSince).toISOString(), error: this.#lastError ?? "" };
  }
  /**
   * Stops taking writes and commits what is queued, retrying until the deadline. Returns the labels
   * of the writes that could not be committed (logged as lost: the last resort).
   */
  async close(deadlineMs = 1e4) {
    this.#closed = true;
    clearTimeout(this.#deferTimer);
    clearTimeout(this.#retryTimer);
    const until = Date.now() + deadlineMs;
    for (let wait = this.#retryMinMs; ; wait = Math.min(wait * 2, this.#retryMaxMs)) {
      this.#waiting = false;
      this.#attempt();
      clearTimeout(this.#retryTimer);
      if (this.#queue.length === 0 || Date.now() + wait > until)
        break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const lost = this.#queue.map((e) => e.label);
    for (const entry of this.#queue)
      entry.settle?.reject(new Error(`The database closed before ${entry.label} could be written.`));
    if (lost.length > 0)
      this.#log.error({ lost: lost.length, writes: lost.slice(0, 20), error: this.#lastError }, "Audit trail: writes could not be saved before the database closed");
    this.#queue = [];
    return lost;
  }
  #attempt() {
    if (this.#waiting || this.#queue.length === 0 || !this.#db.open)
      return;
    clearTimeout(this.#deferTimer);
    this.#deferTimer = void 0;
    const ready = this.#queue.filter((e) => e.failedAlone !== true);
    try {
      if (ready.length > 0) {
        const results = this.#commitBatch(ready);
        this.#queue = this.#queue.filter((e) => e.failedAlone === true);
        ready.forEach((entry, i) => entry.settle?.resolve(results[i]));
      }
      this.#recovered();
      this.#retryFailedAlone();
    } catch (error) {
      if (isTransient(error))
        this.#backOff(error);
      else
        this.#oneByOne();
    }
  }
  /** After a batch failed for a reason of its own: each write alone, in order. */
  #oneByOne() {
    const remaining = [];
    let stopped;
    for (const entry of this.#queue) {
      if (stopped !== void 0 || entry.failedAlone === true) {
        remaining.push(entry);
        continue;
      }
      try {
        const [result] = this.#commitBatch([entry]);
        entry.settle?.resolve(result);
      } catch (error) {
        if (isTransient(error)) {
          stopped = error;
          remaining.push(entry);
        } else if (entry.settle !== void 0) {
          entry.settle.reject(error);
        } else {
          this.#log.error({ err: error, write: entry.label }, "Audit trail: a write failed on its own; it stays queued and is retried");
          entry.failedAlone = true;
          remaining.push(entry);
        }
      }
    }
    this.#queue = remaining;
    if (stopped !== void 0)
      this.#backOff(stopped);
    else
      this.#retryLater();
  }
  /** Writes that failed alone are tried again only after everything else went through. */
  #retryFailedAlone() {
    if (!this.#queue.some((e) => e.failedAlone === true))
      return;
    const left = [];
    for (const entry of this.#queue) {
      try {
        this.#commitBatch([entry]);
      } catch {
        left.push(entry);
      }
    }
    this.#queue = left;
    this.#retryLater();
  }
  /** A slow retry of writes that failed alone, which does not hold up new writes. */
  #retryLater() {
    if (this.#retryTimer !== void 0 || !this.#queue.some((e) => e.failedAlone === true))
      return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = void 0;
      this.#attempt();
    }, this.#retryMaxMs);
    this.#retryTimer.unref();
  }
  #backOff(error) {
    if (this.#failingSince === void 0) {
      this.#failingSince = Date.now();
      this.#log.warn({ err: error, queued: this.#queue.length }, "Audit trail: the database refuses writes; they stay queued and are retried");
    }
    this.#lastError = error instanceof Error ? error.message : String(error);
    this.#backoffMs = this.#backoffMs === 0 ? this.#retryMinMs : Math.min(this.#backoffMs * 2, this.#retryMaxMs);
    this.#waiting = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = void 0;
      this.#waiting = false;
      this.#attempt();
    }, this.#backoffMs);
  }
  #recovered() {
    if (this.#failingSince === void 0)
      return;
    this.#log.info({ afterMs: Date.now() - this.#failingSince }, "Audit trail: the database takes writes again; every queued write is saved");
    this.#failingSince = void 0;
    this.#lastError = void 0;
    this.#backoffMs = 0;
  }
};

// dist/store/store.js
function createRepositories(db, now) {
  return {
    audit: createAuditRepository(db, now),
    runs: createRunRepository(db, now),
    schedules: createScheduleRepository(db, now),
    accounts: createAccountsRepository(db, now),
    sessions: createSessionsRepository(db),
    settings: createSettingsRepository(db),
    clusters: createClusterRepository(db, now),
    inventory: createInventoryRepository(db, now)
  };
}
function flushingFirst(reads, flush) {
  const wrapped = {};
  for (const [name, read] of Object.entries(reads)) {
    wrapped[name] = typeof read === "function" ? (...args) => {
      flush();
      return read.apply(reads, args);
    } : read;
  }
  return wrapped;
}
function openStore(options) {
  const db = openDatabase(options.path);
  const queue = new WriteQueue(db, options);
  const repositories = createRepositories(db, () => queue.now());
  const writes = Object.fromEntries(Object.entries(repositories).map(([name, r]) => [name, { ...r.reads, ...r.writes }]));
  const reads = Object.fromEntries(Object.entries(repositories).map(([name, r]) => {
    const scopes = [name];
    return [name, flushingFirst(r.reads, () => {
      if (queue.holdsFor(scopes))
        queue.flush();
    })];
  }));
  let closing;
  return {
    ...reads,
    write: async (change, label) => await queue.commit(() => change(writes), label),
    later: (repository, change, label) => {
      queue.defer(() => {
        change(writes[repository]);
      }, label, repository);
    },
    health: () => ({ queued: queue.queued, ...queue.problem === void 0 ? {} : { problem: queue.problem } }),
    close: async () => {
      closing ??= (async () => {
        await queue.close();
        db.close();
      })();
      await closing;
    }
  };
}

export {
  openStore
};
