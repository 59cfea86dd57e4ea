import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  encodeUserIdLikeJava,
  escapeXml
} from "./chunk-4M7U75GA.js";
import "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import {
  isAxlVersion
} from "./chunk-E75TASB6.js";
import {
  XMLParser,
  XMLValidator
} from "./chunk-GT63VX7W.js";
import "./chunk-6HMTDXZ4.js";

// dist/simulator/state.js
var OK = { ok: true };
function fail(code) {
  return { ok: false, code };
}
function key(name) {
  return name.toLowerCase();
}
var DEFAULT_DEVICE_POOL = "Default";
function defaultModel(deviceName) {
  const prefix = deviceName.slice(0, 3).toUpperCase();
  if (prefix === "CSF")
    return "Cisco Unified Client Services Framework";
  if (prefix === "TCT")
    return "Cisco Dual Mode for iPhone";
  if (prefix === "BOT")
    return "Cisco Dual Mode for Android";
  return "Cisco 8865";
}
var SimulatorState = class {
  now;
  multipleLogins;
  appUsers = /* @__PURE__ */ new Map();
  users = /* @__PURE__ */ new Map();
  profiles = /* @__PURE__ */ new Map();
  devices = /* @__PURE__ */ new Map();
  #revision = 0;
  constructor(scenario, options = {}) {
    this.now = options.now ?? Date.now;
    this.multipleLogins = options.multipleLogins ?? "not-allowed";
    this.load(scenario);
  }
  /** Replaces everything with the scenario; app users are kept unless the scenario names some. */
  load(scenario) {
    this.#revision++;
    this.users.clear();
    this.profiles.clear();
    this.devices.clear();
    for (const id of scenario.users)
      this.users.set(key(id), id);
    for (const p of scenario.profiles) {
      this.profiles.set(key(p.name), { name: p.name, owners: p.owners.map((o) => this.canonicalUser(o, `profile ${p.name}`)), isDefault: p.isDefault ?? false });
    }
    const loadedAt = this.now();
    for (const d of scenario.devices) {
      const currentUser = d.currentUser == null ? null : this.canonicalUser(d.currentUser, `device ${d.name}`);
      let currentProfile = null;
      if (currentUser !== null) {
        const profile = d.currentProfile == null ? this.defaultProfileOf(currentUser) : this.profiles.get(key(d.currentProfile));
        if (profile === void 0)
          throw new Error(`Scenario: device ${d.name} has no profile for ${currentUser}`);
        currentProfile = profile.name;
      }
      this.devices.set(key(d.name), {
        name: d.name,
        emEnabled: d.emEnabled ?? true,
        currentUser,
        currentProfile,
        lastUser: d.lastUser == null ? null : this.canonicalUser(d.lastUser, `device ${d.name}`),
        loginTime: currentUser === null ? null : d.loginTime ?? loadedAt,
        autoLogoutAt: currentUser === null ? null : d.autoLogoutAt ?? null,
        model: d.model ?? defaultModel(d.name),
        description: d.description ?? "",
        devicePool: d.devicePool ?? DEFAULT_DEVICE_POOL,
        changedAt: currentUser === null ? loadedAt : d.loginTime ?? loadedAt
      });
    }
    if (scenario.appUsers !== void 0) {
      this.appUsers.clear();
      for (const a of scenario.appUsers)
        this.setAppUser({ id: a.id, password: a.password, proxyRights: a.proxyRights ?? true });
    }
  }
  setAppUser(appUser) {
    this.appUsers.set(key(appUser.id), { ...appUser });
  }
  /** Checks appInfo: 2 blank, 3 unknown user or wrong password, 10 no proxy rights. */
  authorize(appId, password) {
    if (appId === "" || password === "")
      return fail(2);
    const appUser = this.appUsers.get(key(appId));
    if (appUser === void 0 || appUser.password !== password)
      return fail(3);
    if (!appUser.proxyRights)
      return fail(10);
    return OK;
  }
  login(input) {
    this.expireDue();
    const device = this.devices.get(key(input.deviceName));
    if (device === void 0)
      return fail(11);
    if (!device.emEnabled)
      return fail(22);
    const userId = this.users.get(key(input.userId));
    if (userId === void 0)
      return fail(23);
    const profile = input.deviceProfile === void 0 || input.deviceProfile === "" ? this.defaultProfileOf(userId) : this.profiles.get(key(input.deviceProfile));
    if (profile === void 0 || !profile.owners.includes(userId))
      return fail(12);
    if (device.currentUser !== null)
      return fail(18);
    const elsewhere = this.devicesOf(userId);
    if (elsewhere.length > 0) {
      if (this.multipleLogins === "not-allowed")
        return fail(25);
      if (this.multipleLogins === "auto-logout")
        for (const other of elsewhere)
          this.clear(other);
    }
    const now = this.now();
    device.currentUser = userId;
    device.currentProfile = profile.name;
    device.loginTime = now;
    device.changedAt = now;
    this.#revision++;
    device.autoLogoutAt = input.exclusiveMinutes != null && input.exclusiveMinutes > 0 ? now + input.exclusiveMinutes * 6e4 : null;
    return OK;
  }
  logout(deviceName) {
    this.expireDue();
    const device = this.devices.get(key(deviceName));
    if (device === void 0)
      return fail(11);
    if (!device.emEnabled)
      return fail(22);
    if (device.currentUser === null)
      return fail(19);
    this.clear(device);
    return OK;
  }
  /** Logs out every EM user; success even when nobody was logged in (PROTOCOL.md §5). */
  logoutAll() {
    this.expireDue();
    for (const device of this.devices.values())
      if (device.currentUser !== null)
        this.clear(device);
    return OK;
  }
  deviceUserQuery(deviceNames) {
    this.expireDue();
    return deviceNames.map((asked) => {
      const device = this.devices.get(key(asked));
      if (device === void 0)
        return { name: asked, exists: false, currentUser: null, lastUser: null };
      return { name: device.name, exists: true, currentUser: device.currentUser, lastUser: device.lastUser };
    });
  }
  userDevicesQuery(userIds) {
    this.expireDue();
    return userIds.map((asked) => {
      const id = this.users.get(key(asked));
      if (id === void 0)
        return { id: asked, exists: false, devices: [] };
      return { id, exists: true, devices: this.devicesOf(id).map((d) => d.name) };
    });
  }
  deviceProfileQuery(userIds) {
    return userIds.map((asked) => {
      const id = this.users.get(key(asked));
      if (id === void 0)
        return { id: asked, exists: false, profiles: [] };
      const profiles = [...this.profiles.values()].filter((p) => p.owners.includes(id)).map((p) => ({ name: p.name, isDefault: p.isDefault }));
      return { id, exists: true, profiles };
    });
  }
  /** Ends every login whose exclusiveDuration has run out; called on each access and by a timer. */
  expireDue() {
    const now = this.now();
    let expired = 0;
    for (const device of this.devices.values()) {
      if (device.autoLogoutAt !== null && device.autoLogoutAt <= now) {
        this.clear(device);
        expired++;
      }
    }
    return expired;
  }
  getDevice(name) {
    this.expireDue();
    return this.devices.get(key(name));
  }
  counts() {
    this.expireDue();
    const devices = [...this.devices.values()];
    return {
      appUsers: this.appUsers.size,
      users: this.users.size,
      profiles: this.profiles.size,
      devices: devices.length,
      loggedIn: devices.filter((d) => d.currentUser !== null).length,
      emDisabled: devices.filter((d) => !d.emEnabled).length
    };
  }
  /** Grows with every change of who is logged in where: lets readers cache what they derive. */
  get revision() {
    return this.#revision;
  }
  /** Every device, user and profile, for the AXL tables; the records are live, do not change them. */
  snapshot() {
    this.expireDue();
    return { devices: [...this.devices.values()], users: [...this.users.values()], profiles: [...this.profiles.values()] };
  }
  clear(device) {
    this.#revision++;
    device.changedAt = this.now();
    device.lastUser = device.currentUser;
    device.currentUser = null;
    device.currentProfile = null;
    device.loginTime = null;
    device.autoLogoutAt = null;
  }
  devicesOf(userId) {
    return [...this.devices.values()].filter((d) => d.currentUser === userId);
  }
  defaultProfileOf(userId) {
    const owned = [...this.profiles.values()].filter((p) => p.owners.includes(userId));
    return owned.find((p) => p.isDefault) ?? (owned.length === 1 ? owned[0] : void 0);
  }
  canonicalUser(id, where) {
    const found = this.users.get(key(id));
    if (found === void 0)
      throw new Error(`Scenario: ${where} names unknown user ${id}`);
    return found;
  }
};

// dist/simulator/seed.js
var SEED_OCCUPIED_DEVICE = "SEP001122334455";
var SEED_USER = "jdoe";
var SEED_USER_PROFILES = ["jdoe-EM-8865", "jdoe-EM-7841"];
var SEED_EMPTY_DEVICE = "SEP00AABBCCDDEE";
var SEED_EM_DISABLED_DEVICE = "SEP00DEADBEEF00";
var SEED_FREE_USER = "asmith";
var SEED_FREE_USER_PROFILE = "asmith-EM-8865";
var SEED_EMAIL_USER = "jane.doe@example.com";
var SEED_EMAIL_USER_DEVICE = "SEP001122334466";
var SEED_NON_ASCII_USER = "jos\xE9.garc\xEDa";
var SEED_DEVICE_POOLS = [
  { name: "DP_OSLO", timeZone: "Europe/Oslo", city: "Oslo" },
  { name: "DP_BERGEN", timeZone: "Europe/Oslo", city: "Bergen" },
  { name: "DP_LONDON", timeZone: "Europe/London", city: "London" },
  { name: "DP_NEWYORK", timeZone: "America/New_York", city: "New York" }
];
var SEED_PHONE_COUNT = 500;
var SEED_USER_COUNT = 400;
var SEED_LOGIN_COUNT = 150;
function createRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
var FIRST = ["anna", "ben", "carla", "david", "elena", "frank", "grace", "hugo", "irene", "jack", "karin", "liam", "maria", "nils", "olga", "paul", "quinn", "rosa", "sam", "tina", "umar", "vera", "will", "xenia", "yusuf", "zoe"];
var LAST = ["adams", "baker", "chen", "diaz", "evans", "fischer", "garcia", "hansen", "ito", "jensen", "khan", "lopez", "meyer", "nguyen", "owens", "patel", "quist", "rossi", "schmidt", "tanaka", "ueda", "vogel", "wagner", "young", "zimmer"];
var NON_ASCII = ["zo\xEB.m\xFCller", "bj\xF6rn.\xE5ngstr\xF6m", "fran\xE7ois.lef\xE8vre", "\u0142ukasz.wi\u015Bniewski", "s\xF8ren.kj\xE6r", "\xE7a\u011Fla.\xF6zt\xFCrk", "nu\xF1o.pe\xF1a", "ana.b\xE4rtschi", "dvo\u0159\xE1k.ji\u0159\xED", "\u5C71\u7530.\u592A\u90CE"];
var MODELS = ["8865", "7841", "8845", "7821", "9861"];
var PLACES = ["desk", "hot desk", "meeting room", "reception", "lab", "kitchen", "m\xF8terom", "R&D corner", "CEO's office", "quiet room <2>"];
var HOUR = 36e5;
var MAX_DURATIONS = [8 * HOUR, 12 * HOUR, 24 * HOUR, 96 * HOUR];
function phoneAttributes(random, name) {
  const pool = SEED_DEVICE_POOLS[Math.floor(random() * SEED_DEVICE_POOLS.length)] ?? SEED_DEVICE_POOLS[0];
  const place = PLACES[Math.floor(random() * PLACES.length)] ?? "desk";
  const model = /^(CSF|TCT|BOT)/.test(name) ? defaultModel(name) : `Cisco ${MODELS[Math.floor(random() * MODELS.length)] ?? "8865"}`;
  return { model, description: `${pool.city} ${place} ${1 + Math.floor(random() * 40)}`, devicePool: pool.name };
}
function maybeMaxDuration(random, loginTime, now) {
  if (random() >= 0.25)
    return null;
  const fits = MAX_DURATIONS.filter((d) => loginTime + d >= now + 2 * HOUR);
  const duration = fits[Math.floor(random() * fits.length)];
  return duration === void 0 ? null : loginTime + duration;
}
function profileSlug(userId) {
  return userId.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace("@", "_at_").replace(/[^A-Za-z0-9._-]/g, "x");
}
function hex12(random) {
  let out = "";
  for (let i = 0; i < 12; i++)
    out += Math.floor(random() * 16).toString(16).toUpperCase();
  return out;
}
function seedScenario(options = {}) {
  const random = createRandom(options.seed ?? 20261101);
  const attributes = createRandom((options.seed ?? 20261101) ^ 1515870810);
  const now = options.now ?? Date.now();
  const pick = (list) => list[Math.floor(random() * list.length)];
  const users = [SEED_USER, SEED_FREE_USER, SEED_EMAIL_USER, SEED_NON_ASCII_USER, ...NON_ASCII];
  const taken = new Set(users);
  while (users.length < SEED_USER_COUNT) {
    const first = pick(FIRST);
    const last = pick(LAST);
    let id = random() < 0.15 ? `${first}.${last}@example.com` : `${first[0]}${last}`;
    for (let n = 2; taken.has(id); n++)
      id = id.includes("@") ? `${first}.${last}${n}@example.com` : `${first[0]}${last}${n}`;
    taken.add(id);
    users.push(id);
  }
  const profiles = [
    { name: SEED_USER_PROFILES[0], owners: [SEED_USER], isDefault: true },
    { name: SEED_USER_PROFILES[1], owners: [SEED_USER], isDefault: false },
    { name: SEED_FREE_USER_PROFILE, owners: [SEED_FREE_USER], isDefault: true }
  ];
  for (const id of users.slice(2)) {
    const slug = profileSlug(id);
    const [model, second] = [pick(MODELS), pick(MODELS)];
    profiles.push({ name: `${slug}-EM-${model}`, owners: [id], isDefault: true });
    if (second !== model && random() < 0.3)
      profiles.push({ name: `${slug}-EM-${second}`, owners: [id], isDefault: false });
  }
  const devices = [
    { name: SEED_OCCUPIED_DEVICE, currentUser: SEED_USER, currentProfile: SEED_USER_PROFILES[0], lastUser: SEED_FREE_USER, loginTime: now - 3 * 36e5, model: "Cisco 8865", description: "Oslo reception 1", devicePool: "DP_OSLO" },
    { name: SEED_EMPTY_DEVICE, model: "Cisco 8845", description: "London hot desk 7", devicePool: "DP_LONDON" },
    { name: SEED_EM_DISABLED_DEVICE, emEnabled: false, model: "Cisco 7841", description: "New York lobby", devicePool: "DP_NEWYORK" },
    { name: SEED_EMAIL_USER_DEVICE, currentUser: SEED_EMAIL_USER, loginTime: now - 45 * 6e4, model: "Cisco 7841", description: "Bergen desk 12", devicePool: "DP_BERGEN" }
  ];
  const names = new Set(devices.map((d) => d.name));
  const softClients = users.slice(8, 26).map((id, i) => `${["CSF", "TCT", "BOT"][i % 3]}${profileSlug(id).replace(/[^A-Za-z0-9]/g, "").toUpperCase().slice(0, 12)}`);
  for (const name of softClients) {
    if (names.has(name))
      continue;
    names.add(name);
    devices.push({ name });
  }
  while (devices.length < SEED_PHONE_COUNT) {
    const name = `SEP${hex12(random)}`;
    if (names.has(name))
      continue;
    names.add(name);
    devices.push(random() < 0.05 ? { name, emEnabled: false } : { name });
  }
  const fixed = /* @__PURE__ */ new Set([SEED_OCCUPIED_DEVICE, SEED_EMPTY_DEVICE, SEED_EM_DISABLED_DEVICE, SEED_EMAIL_USER_DEVICE]);
  const candidates = devices.filter((d) => !fixed.has(d.name) && d.emEnabled !== false);
  const loginUsers = users.slice(8).filter(() => random() < 0.5).slice(0, SEED_LOGIN_COUNT - 2);
  for (const device of candidates) {
    if (random() < 0.6)
      device.lastUser = pick(users);
  }
  for (const userId of loginUsers) {
    const device = candidates.splice(Math.floor(random() * candidates.length), 1)[0];
    if (device === void 0)
      break;
    device.currentUser = userId;
    device.loginTime = now - Math.floor(random() * 3 * 24 * HOUR);
  }
  for (const device of devices) {
    if (device.model === void 0)
      Object.assign(device, phoneAttributes(attributes, device.name));
    if (fixed.has(device.name) || device.loginTime == null)
      continue;
    const autoLogoutAt = maybeMaxDuration(attributes, device.loginTime, now);
    if (autoLogoutAt !== null)
      device.autoLogoutAt = autoLogoutAt;
  }
  return { users, profiles, devices };
}

// dist/simulator/branch-scenario.js
var BRANCH_PHONE_COUNT = 200;
var BRANCH_USER_COUNT = 120;
var BRANCH_LOGIN_COUNT = 60;
var BRANCH_TIMEZONE = "America/Chicago";
var BRANCH_DEVICE_POOL = { name: "DP_CHICAGO", city: "Chicago" };
var BRANCH_USER = "maria.lopez";
var BRANCH_OCCUPIED_DEVICE = "SEPB00000000001";
var BRANCH_EMPTY_DEVICE = "SEPB00000000002";
var BRANCH_SHARED_USER_COUNT = 4;
var BRANCH_TRAVELLER_DEVICE = "SEPB00000000003";
var FIRST2 = ["alba", "bruno", "chloe", "dario", "emma", "felix", "gina", "henry", "isla", "jonas", "kira", "luca", "mia", "noah", "omar", "pia", "rafael", "sofia", "theo", "ula", "victor", "wanda", "yara", "zeno"];
var LAST2 = ["brown", "clark", "davis", "flores", "gomez", "hill", "jones", "kim", "lewis", "miller", "moore", "nelson", "ortiz", "perez", "reed", "scott", "torres", "walker", "white", "wright"];
var MODELS2 = ["8865", "8845", "7841"];
var PLACES2 = ["desk", "hot desk", "warehouse office", "front desk", "break room", "shipping"];
var HOUR2 = 36e5;
function branchSharedUsers() {
  return seedScenario({ now: 0 }).users.slice(40, 40 + BRANCH_SHARED_USER_COUNT);
}
function branchScenario(options = {}) {
  const random = createRandom(20261117);
  const now = options.now ?? Date.now();
  const pick = (list) => list[Math.floor(random() * list.length)];
  const shared = branchSharedUsers();
  const users = [BRANCH_USER, ...shared];
  const taken = new Set(users);
  while (users.length < BRANCH_USER_COUNT) {
    let id = `${pick(FIRST2)}.${pick(LAST2)}`;
    for (let n = 2; taken.has(id); n++)
      id = `${id.replace(/\d+$/, "")}${n}`;
    taken.add(id);
    users.push(id);
  }
  const profiles = users.map((id) => ({ name: `${id.replace(/[^A-Za-z0-9._-]/g, "x")}-BR-${pick(MODELS2)}`, owners: [id], isDefault: true }));
  const attributes = (name) => ({
    model: `Cisco ${pick(MODELS2)}`,
    description: `${BRANCH_DEVICE_POOL.city} ${pick(PLACES2)} ${1 + Math.floor(random() * 30)}`,
    devicePool: BRANCH_DEVICE_POOL.name
  });
  const devices = [
    { name: BRANCH_OCCUPIED_DEVICE, currentUser: BRANCH_USER, lastUser: null, loginTime: now - 2 * HOUR2, ...attributes(BRANCH_OCCUPIED_DEVICE) },
    { name: BRANCH_EMPTY_DEVICE, ...attributes(BRANCH_EMPTY_DEVICE) },
    { name: BRANCH_TRAVELLER_DEVICE, currentUser: shared[0] ?? null, loginTime: now - 5 * HOUR2, ...attributes(BRANCH_TRAVELLER_DEVICE) }
  ];
  for (let i = devices.length + 1; devices.length < BRANCH_PHONE_COUNT; i++) {
    const name = `SEPB0${(4096 + i * 7919).toString(16).toUpperCase().padStart(10, "0")}`;
    devices.push({ name, ...attributes(name), ...random() < 0.05 ? { emEnabled: false } : {} });
  }
  const candidates = devices.slice(3).filter((d) => d.emEnabled !== false);
  const loggedIn = users.slice(1 + BRANCH_SHARED_USER_COUNT).filter(() => random() < 0.7).slice(0, BRANCH_LOGIN_COUNT - 2);
  for (const userId of loggedIn) {
    const device = candidates.splice(Math.floor(random() * candidates.length), 1)[0];
    if (device === void 0)
      break;
    device.currentUser = userId;
    device.loginTime = now - Math.floor(random() * 2 * 24 * HOUR2);
    const autoLogoutAt = maybeMaxDuration(random, device.loginTime, now);
    if (autoLogoutAt !== null)
      device.autoLogoutAt = autoLogoutAt;
  }
  for (const device of candidates) {
    if (random() < 0.5)
      device.lastUser = pick(users);
  }
  return { users, profiles, devices };
}

// dist/simulator/server.js
import { createServer } from "node:https";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// dist/simulator/certificate.js
import { generateKeyPair, randomBytes, sign } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import { promisify } from "node:util";
async function createCertificate(host, now = /* @__PURE__ */ new Date()) {
  const { publicKey, privateKey } = await promisify(generateKeyPair)("ec", { namedCurve: "prime256v1" });
  const names = [dnsName("localhost"), ipAddress("127.0.0.1"), ipAddress("::1")];
  if (isIPv4(host) || isIPv6(host)) {
    if (!["127.0.0.1", "::1", "0.0.0.0", "::"].includes(host))
      names.push(ipAddress(host));
  } else if (host !== "localhost") {
    names.push(dnsName(host));
  }
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8("EM Console CUCM simulator"))));
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    // version 3
    integer(serialNumber()),
    sequence(oid(ECDSA_WITH_SHA256)),
    name,
    sequence(time(new Date(now.getTime() - 36e5)), time(new Date(now.getTime() + 365 * 864e5))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(
      extension(BASIC_CONSTRAINTS, true, sequence(boolean(true))),
      // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 0100, the last two bits unused.
      extension(KEY_USAGE, true, tlv(3, Buffer.from([2, 132]))),
      extension(EXT_KEY_USAGE, false, sequence(oid(SERVER_AUTH))),
      extension(SUBJECT_ALT_NAME, false, sequence(...names))
    ))
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = sequence(tbs, sequence(oid(ECDSA_WITH_SHA256)), tlv(3, Buffer.concat([Buffer.from([0]), signature])));
  const lines2 = der.toString("base64").match(/.{1,64}/g) ?? [];
  return {
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    cert: `-----BEGIN CERTIFICATE-----
${lines2.join("\n")}
-----END CERTIFICATE-----
`
  };
}
var COMMON_NAME = "2.5.4.3";
var ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
var BASIC_CONSTRAINTS = "2.5.29.19";
var KEY_USAGE = "2.5.29.15";
var EXT_KEY_USAGE = "2.5.29.37";
var SUBJECT_ALT_NAME = "2.5.29.17";
var SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
function tlv(tag, content) {
  const n = content.length;
  const length = n < 128 ? [n] : n < 256 ? [129, n] : [130, n >> 8, n & 255];
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}
var sequence = (...items) => tlv(48, Buffer.concat(items));
var set = (...items) => tlv(49, Buffer.concat(items));
var explicit = (n, item) => tlv(160 + n, item);
var integer = (bytes) => tlv(2, bytes);
var boolean = (value) => tlv(1, Buffer.from([value ? 255 : 0]));
var utf8 = (text2) => tlv(12, Buffer.from(text2, "utf8"));
var dnsName = (name) => tlv(130, Buffer.from(name, "ascii"));
var ipAddress = (ip) => tlv(135, isIPv4(ip) ? Buffer.from(ip.split(".").map(Number)) : ipv6Bytes(ip));
function extension(id, critical, value) {
  return sequence(oid(id), ...critical ? [boolean(true)] : [], tlv(4, value));
}
function oid(dotted) {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128 = [arc & 127];
    for (let v = arc >> 7; v > 0; v >>= 7)
      base128.unshift(v & 127 | 128);
    bytes.push(...base128);
  }
  return tlv(6, Buffer.from(bytes));
}
function time(date) {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return date.getUTCFullYear() < 2050 ? tlv(23, Buffer.from(iso.slice(2), "ascii")) : tlv(24, Buffer.from(iso, "ascii"));
}
function serialNumber() {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 127 | 64;
  return bytes;
}
function ipv6Bytes(ip) {
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4 !== null) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    ip = `${ip.slice(0, v4.index)}${(a << 8 | b).toString(16)}:${(c << 8 | d).toString(16)}`;
  }
  const [head = "", tail] = ip.split("::");
  const groups = (part) => part === void 0 || part === "" ? [] : part.split(":");
  const left = groups(head);
  const right = groups(tail);
  const words = tail === void 0 ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  const bytes = Buffer.alloc(16);
  words.forEach((word, i) => bytes.writeUInt16BE(Number.parseInt(word, 16), i * 2));
  return bytes;
}

// dist/simulator/axl-tables.js
import { createHash } from "node:crypto";
var PHONE_CLASS = 1;
var DEVICE_PROFILE_CLASS = 254;
var PROFILE_MODEL = "Cisco 8865";
var AXL_TABLE_COLUMNS = {
  device: ["pkid", "name", "description", "tkclass", "tkmodel", "fkdevicepool", "allowhotelingflag"],
  enduser: ["pkid", "userid", "firstname", "lastname", "displayname"],
  extensionmobilitydynamic: ["pkid", "fkdevice", "fkenduser", "fkenduser_lastlogin", "fkdevice_currentloginprofile", "logintime", "loginduration", "datetimestamp"],
  typemodel: ["enum", "name"],
  devicepool: ["pkid", "name"],
  emremotedynamic: ["remoteuserid", "logintime"]
};
var pkids = /* @__PURE__ */ new Map();
function pkid(kind, name) {
  const id = `${kind}:${name.toLowerCase()}`;
  let found = pkids.get(id);
  if (found === void 0) {
    const hex = createHash("sha1").update(id).digest("hex");
    found = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    pkids.set(id, found);
  }
  return found;
}
var seconds = (ms) => ms === null ? null : Math.floor(ms / 1e3);
function table(columns, rows) {
  return { columns, rows };
}
function buildAxlTables(state) {
  const { devices, users, profiles } = state.snapshot();
  const models = /* @__PURE__ */ new Map();
  const modelEnum = (name) => {
    let found = models.get(name);
    if (found === void 0)
      models.set(name, found = 3e4 + models.size);
    return found;
  };
  const pools = new Set(devices.map((d) => d.devicePool));
  const deviceRows = devices.map((d) => ({
    pkid: pkid("device", d.name),
    name: d.name,
    description: d.description,
    tkclass: PHONE_CLASS,
    tkmodel: modelEnum(d.model),
    fkdevicepool: pkid("devicepool", d.devicePool),
    allowhotelingflag: d.emEnabled ? "t" : "f"
  }));
  for (const p of profiles) {
    deviceRows.push({ pkid: pkid("device", p.name), name: p.name, description: "", tkclass: DEVICE_PROFILE_CLASS, tkmodel: modelEnum(PROFILE_MODEL), fkdevicepool: null, allowhotelingflag: "f" });
  }
  const dynamicRows = devices.filter((d) => d.emEnabled).map((d) => ({
    pkid: pkid("emd", d.name),
    fkdevice: pkid("device", d.name),
    fkenduser: d.currentUser === null ? null : pkid("enduser", d.currentUser),
    fkenduser_lastlogin: d.lastUser === null ? null : pkid("enduser", d.lastUser),
    fkdevice_currentloginprofile: d.currentProfile === null ? null : pkid("device", d.currentProfile),
    logintime: seconds(d.loginTime),
    // 0 for a login without a maximum: what CUCM stores then is not known (PROTOCOL.md §3).
    loginduration: d.currentUser === null ? null : d.autoLogoutAt === null || d.loginTime === null ? 0 : Math.round((d.autoLogoutAt - d.loginTime) / 1e3),
    datetimestamp: seconds(d.changedAt)
  }));
  return /* @__PURE__ */ new Map([
    ["device", table(AXL_TABLE_COLUMNS.device, deviceRows)],
    ["enduser", table(AXL_TABLE_COLUMNS.enduser, users.map((u) => ({ pkid: pkid("enduser", u), userid: u, firstname: null, lastname: null, displayname: u })))],
    ["extensionmobilitydynamic", table(AXL_TABLE_COLUMNS.extensionmobilitydynamic, dynamicRows)],
    ["typemodel", table(AXL_TABLE_COLUMNS.typemodel, [...models].map(([name, value]) => ({ enum: value, name })))],
    ["devicepool", table(AXL_TABLE_COLUMNS.devicepool, [...pools].map((name) => ({ pkid: pkid("devicepool", name), name })))],
    ["emremotedynamic", table(AXL_TABLE_COLUMNS.emremotedynamic, [])]
  ]);
}

// dist/simulator/axl-sql.js
var SqlError = class extends Error {
  code;
  constructor(code, message) {
    super(message);
    this.code = code;
    this.name = "SqlError";
  }
};
var syntaxError = () => new SqlError(-201, "A syntax error has occurred.");
var columnNotFound = (column) => new SqlError(-217, `Column (${column}) not found in any table in the query (or SLV is undefined).`);
var TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\d+)|'((?:[^']|'')*)'|(<>|!=|<=|>=|[=<>(),.*-]))/y;
var KEYWORDS = /* @__PURE__ */ new Set(["select", "skip", "first", "limit", "from", "join", "inner", "left", "outer", "on", "where", "and", "or", "order", "by", "asc", "desc", "as", "is", "not", "null", "group", "having", "union"]);
function tokenize(sql) {
  const tokens = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < sql.length) {
    if (sql.slice(TOKEN.lastIndex).trim() === "")
      break;
    const match = TOKEN.exec(sql);
    if (match === null)
      throw syntaxError();
    const [, word, number, text2, symbol] = match;
    if (word !== void 0)
      tokens.push({ kind: "word", text: word.toLowerCase() });
    else if (number !== void 0)
      tokens.push({ kind: "number", value: Number(number) });
    else if (text2 !== void 0)
      tokens.push({ kind: "string", value: text2.replaceAll("''", "'") });
    else
      tokens.push({ kind: "symbol", text: symbol === "!=" ? "<>" : symbol ?? "" });
  }
  return tokens;
}
var Parser = class {
  tokens;
  position = 0;
  constructor(tokens) {
    this.tokens = tokens;
  }
  peek(offset = 0) {
    return this.tokens[this.position + offset];
  }
  isWord(word, offset = 0) {
    const token = this.peek(offset);
    return token?.kind === "word" && token.text === word;
  }
  isSymbol(symbol) {
    const token = this.peek();
    return token?.kind === "symbol" && token.text === symbol;
  }
  accept(word) {
    if (!this.isWord(word))
      return false;
    this.position++;
    return true;
  }
  expect(word) {
    if (!this.accept(word))
      throw syntaxError();
  }
  expectSymbol(symbol) {
    if (!this.isSymbol(symbol))
      throw syntaxError();
    this.position++;
  }
  identifier() {
    const token = this.peek();
    if (token?.kind !== "word" || KEYWORDS.has(token.text))
      throw syntaxError();
    this.position++;
    return token.text;
  }
  integer() {
    const token = this.peek();
    if (token?.kind !== "number")
      throw syntaxError();
    this.position++;
    return token.value;
  }
  columnRef() {
    const first = this.identifier();
    if (!this.isSymbol("."))
      return { qualifier: null, column: first };
    this.position++;
    return { qualifier: first, column: this.identifier() };
  }
  optionalAlias() {
    if (this.accept("as"))
      return this.identifier();
    const token = this.peek();
    return token?.kind === "word" && !KEYWORDS.has(token.text) ? this.identifier() : null;
  }
  item() {
    if (this.isWord("count") && this.peek(1)?.kind === "symbol") {
      this.position++;
      this.expectSymbol("(");
      this.expectSymbol("*");
      this.expectSymbol(")");
      return { kind: "count", name: this.optionalAlias() ?? "count" };
    }
    if (this.isSymbol("*"))
      throw new SqlError(-201, "The simulator answers only named columns: name each column instead of *.");
    const ref = this.columnRef();
    return { kind: "column", ref, name: this.optionalAlias() ?? ref.column };
  }
  tableRef() {
    const table2 = this.identifier();
    return { table: table2, alias: this.optionalAlias() ?? table2 };
  }
  literal() {
    const token = this.peek();
    if (token?.kind === "symbol" && token.text === "-") {
      this.position++;
      return -this.integer();
    }
    if (token?.kind === "number")
      return this.integer();
    if (token?.kind === "string") {
      this.position++;
      return token.value;
    }
    throw syntaxError();
  }
  condition() {
    const ref = this.columnRef();
    if (this.accept("is")) {
      const negated = this.accept("not");
      this.expect("null");
      return negated ? { ref, test: "not-null" } : { ref, test: "null" };
    }
    const token = this.peek();
    if (token?.kind !== "symbol" || !["=", "<>", "<", "<=", ">", ">="].includes(token.text))
      throw syntaxError();
    this.position++;
    return { ref, test: token.text, value: this.literal() };
  }
  statement() {
    this.expect("select");
    const skip = this.accept("skip") ? this.integer() : 0;
    const first = this.accept("first") || this.accept("limit") ? this.integer() : null;
    const items = [this.item()];
    while (this.isSymbol(",")) {
      this.position++;
      items.push(this.item());
    }
    this.expect("from");
    const tables = [this.tableRef()];
    const joins = [];
    for (; ; ) {
      let left = false;
      if (this.accept("left")) {
        left = true;
        this.accept("outer");
      } else {
        this.accept("inner");
      }
      if (!this.accept("join")) {
        if (left)
          throw syntaxError();
        break;
      }
      tables.push(this.tableRef());
      this.expect("on");
      const a = this.columnRef();
      this.expectSymbol("=");
      joins.push({ left, on: [a, this.columnRef()] });
    }
    const where = [];
    if (this.accept("where")) {
      where.push(this.condition());
      while (this.accept("and"))
        where.push(this.condition());
    }
    const orderBy = [];
    if (this.accept("order")) {
      this.expect("by");
      for (; ; ) {
        const ref = this.columnRef();
        const descending = this.accept("desc");
        if (!descending)
          this.accept("asc");
        orderBy.push({ ref, descending });
        if (!this.isSymbol(","))
          break;
        this.position++;
      }
    }
    if (this.peek() !== void 0)
      throw syntaxError();
    return { skip, first, items, tables, joins, where, orderBy };
  }
};
function parseStatement(sql) {
  return new Parser(tokenize(sql)).statement();
}
function resolver(db, statement) {
  const tables = statement.tables.map(({ table: table2 }) => {
    const found = db.get(table2);
    if (found === void 0)
      throw new SqlError(-206, `The specified table (${table2}) is not in the database.`);
    return found;
  });
  return (ref, visible = tables.length) => {
    const candidates = ref.qualifier === null ? tables.map((t, i) => ({ t, i })).filter(({ t, i }) => i < visible && t.columns.includes(ref.column)) : statement.tables.map((t, i) => ({ t: tables[i], i, alias: t.alias })).filter(({ alias, i }) => i < visible && alias === ref.qualifier);
    const [hit, ...more] = candidates;
    if (hit === void 0 || !hit.t.columns.includes(ref.column))
      throw columnNotFound(ref.column);
    if (more.length > 0)
      throw new SqlError(-324, `Ambiguous column (${ref.column}).`);
    return { table: hit.i, column: ref.column };
  };
}
function valueOf(row, at) {
  return row[at.table]?.[at.column] ?? null;
}
function compare(a, b) {
  if (a === null || b === null)
    return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === "number" && typeof b === "number")
    return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
function holds(value, condition) {
  if (condition.test === "null")
    return value === null;
  if (condition.test === "not-null")
    return value !== null;
  if (value === null)
    return false;
  const order = compare(value, condition.value);
  switch (condition.test) {
    case "=":
      return order === 0;
    case "<>":
      return order !== 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
  }
}
function evaluate(db, statement) {
  const resolve = resolver(db, statement);
  const joins = statement.joins.map((join2, index) => {
    const table2 = index + 1;
    const [a, b] = join2.on.map((ref) => resolve(ref, table2 + 1));
    const [inner, outer] = a.table === table2 ? [a, b] : [b, a];
    if (inner.table !== table2 || outer.table >= table2)
      throw new SqlError(-201, "A join condition must compare the joined table with one before it.");
    return { left: join2.left, inner, outer };
  });
  const where = statement.where.map((condition) => ({ at: resolve(condition.ref), condition }));
  const counting = statement.items.some((item) => item.kind === "count");
  const items = statement.items.map((item) => {
    if (counting && item.kind === "column")
      throw new SqlError(-294, `The column (${item.ref.column}) must be in the GROUP BY list.`);
    return item.kind === "column" ? { name: item.name, at: resolve(item.ref) } : { name: item.name, at: null };
  });
  const order = statement.orderBy.map(({ ref, descending }) => {
    const output = ref.qualifier === null ? items.find((item) => item.name === ref.column && item.at !== null) : void 0;
    return { at: output?.at ?? resolve(ref), descending };
  });
  const tables = statement.tables.map(({ table: table2 }) => db.get(table2));
  let rows = tables[0].rows.map((row) => [row]);
  joins.forEach((join2, index) => {
    const byKey = /* @__PURE__ */ new Map();
    for (const row of tables[index + 1].rows) {
      const key2 = row[join2.inner.column] ?? null;
      if (key2 === null)
        continue;
      const list = byKey.get(key2);
      if (list === void 0)
        byKey.set(key2, [row]);
      else
        list.push(row);
    }
    const next = [];
    for (const row of rows) {
      const key2 = valueOf(row, join2.outer);
      const matches = key2 === null ? void 0 : byKey.get(key2);
      if (matches !== void 0)
        for (const match of matches)
          next.push([...row, match]);
      else if (join2.left)
        next.push([...row, null]);
    }
    rows = next;
  });
  rows = rows.filter((row) => where.every(({ at, condition }) => holds(valueOf(row, at), condition)));
  const columns = items.map((item) => item.name);
  if (counting)
    return { columns, rows: [items.map(() => rows.length)] };
  if (order.length > 0) {
    rows.sort((x, y) => {
      for (const { at, descending } of order) {
        const c = compare(valueOf(x, at), valueOf(y, at));
        if (c !== 0)
          return descending ? -c : c;
      }
      return 0;
    });
  }
  return { columns, rows: rows.map((row) => items.map((item) => item.at === null ? null : valueOf(row, item.at))) };
}
function slice(result, statement) {
  const end = statement.first === null ? void 0 : statement.skip + statement.first;
  return { columns: result.columns, rows: result.rows.slice(statement.skip, end) };
}

// dist/simulator/axl.js
var AXL_PATH = "/axl/";
var AXL_ADMIN_PREFIX = "/__simulator/axl/";
var DEFAULT_AXL_USER = "axl-reader";
var DEFAULT_AXL_PASSWORD = "Axl-Demo-Passw0rd!";
var DEFAULT_AXL_VERSIONS = ["14.0", "12.5", "12.0", "11.5", "11.0", "10.5"];
var RECEIVED_LIMIT = 200;
var MAX_REQUEST_BYTES = 1024 * 1024;
var DEFAULT_FAULTS = { mode: "none", throttle: 0, latencyMs: 0, maxRows: 0, maxRowsGrace: 0 };
var FAULT_MODES = ["none", "unauthorized", "forbidden", "malformed"];
var XML_TYPE = "text/xml; charset=utf-8";
var PROLOGUE = "<?xml version='1.0' encoding='UTF-8'?>";
var ENVELOPE_OPEN = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>';
var ENVELOPE_CLOSE = "</soapenv:Body></soapenv:Envelope>";
var BadInput = class extends Error {
};
function checkFaults(input) {
  if (typeof input !== "object" || input === null)
    throw new BadInput("faults must be an object");
  const faults = input;
  const out = {};
  for (const name of ["throttle", "latencyMs", "maxRows", "maxRowsGrace"]) {
    const value = faults[name];
    if (value === void 0)
      continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      throw new BadInput(`${name} must be a non-negative integer`);
    out[name] = value;
  }
  if (faults.mode !== void 0) {
    if (!FAULT_MODES.includes(faults.mode))
      throw new BadInput(`mode must be one of ${FAULT_MODES.join(", ")}`);
    out.mode = faults.mode;
  }
  return out;
}
function checkVersions(input) {
  if (!Array.isArray(input) || !input.every((v) => typeof v === "string" && isAxlVersion(v))) {
    throw new BadInput('versions must be an array of versions like "14.0"');
  }
  return [...input];
}
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES)
      return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
function sendJson(res, status, body) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}
function htmlPage(title) {
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
}
function renderAxlFault(message, axlCode, faultCode = "soapenv:Server") {
  const text2 = escapeXml(message);
  return PROLOGUE + ENVELOPE_OPEN + `<soapenv:Fault><faultcode>${faultCode}</faultcode><faultstring>${text2}</faultstring><detail><axlError><axlcode>${axlCode}</axlcode><axlmessage>${text2}</axlmessage><request>executeSQLQuery</request></axlError></detail></soapenv:Fault>` + ENVELOPE_CLOSE;
}
function renderAxlRows(result, version) {
  const rows = result.rows.map((row) => "<row>" + result.columns.map((column, i) => {
    const value = row[i] ?? null;
    return value === null ? `<${column}/>` : `<${column}>${escapeXml(String(value))}</${column}>`;
  }).join("") + "</row>");
  const body = rows.length === 0 ? "<return/>" : `<return>${rows.join("")}</return>`;
  return PROLOGUE + ENVELOPE_OPEN + `<ns:executeSQLQueryResponse xmlns:ns="http://www.cisco.com/AXL/API/${version}">${body}</ns:executeSQLQueryResponse>` + ENVELOPE_CLOSE;
}
function tooLargeMessage(totalRows, suggestedRows) {
  return `Query request too large. Total rows matched: ${totalRows} rows. Suggestive Row Fetch: less than ${suggestedRows} rows`;
}
var requestParser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: false });
function sqlOf(xml) {
  if (XMLValidator.validate(xml) !== true)
    return { fault: "Unable to parse the request: it is not well-formed XML." };
  const doc = requestParser.parse(xml);
  const body = doc?.Envelope?.Body;
  if (typeof body !== "object" || body === null)
    return { fault: "The request is not a SOAP envelope with a Body." };
  const operation = body.executeSQLQuery;
  if (operation === void 0)
    return { fault: `The simulator answers executeSQLQuery only, not ${Object.keys(body).join(", ") || "an empty Body"}.` };
  const sql = typeof operation === "object" && operation !== null ? operation.sql : void 0;
  if (typeof sql !== "string" || sql.trim() === "")
    return { fault: "executeSQLQuery needs a sql element." };
  return { sql };
}
var SOAP_ACTION = /^"?CUCM:DB ver=(\d{1,2}\.\d)(?: (\w+))?"?$/;
var NAMESPACE = /http:\/\/www\.cisco\.com\/AXL\/API\/(\d{1,2}\.\d)/g;
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
function createAxlSimulator(state, options = {}) {
  const initialFaults = { ...DEFAULT_FAULTS, ...checkFaults(options.faults ?? {}) };
  const initialVersions = checkVersions(options.versions ?? DEFAULT_AXL_VERSIONS);
  const credentials = { user: options.user ?? DEFAULT_AXL_USER, password: options.password ?? DEFAULT_AXL_PASSWORD };
  const expected = "Basic " + Buffer.from(`${credentials.user}:${credentials.password}`, "utf8").toString("base64");
  let cached;
  function run(statement) {
    state.expireDue();
    if (cached?.revision !== state.revision) {
      const db = buildAxlTables(state);
      cached = { revision: state.revision, db, results: /* @__PURE__ */ new Map() };
    }
    const key2 = JSON.stringify({ ...statement, skip: 0, first: null });
    let result = cached.results.get(key2);
    if (result === void 0) {
      result = evaluate(cached.db, statement);
      if (cached.results.size > 16)
        cached.results.clear();
      cached.results.set(key2, result);
    }
    return slice(result, statement);
  }
  const axl = {
    credentials,
    faults: { ...initialFaults },
    versions: [...initialVersions],
    setFaults(faults) {
      axl.faults = { ...axl.faults, ...checkFaults(faults) };
    },
    setVersions(versions) {
      axl.versions = checkVersions(versions);
    },
    received: [],
    stats: { inFlight: 0, peakInFlight: 0 },
    reset() {
      axl.faults = { ...initialFaults };
      axl.versions = [...initialVersions];
      axl.received.length = 0;
      axl.stats.peakInFlight = axl.stats.inFlight;
    },
    handle,
    admin
  };
  function answer(req, xml, record) {
    const faults = axl.faults;
    if (faults.throttle > 0) {
      axl.faults = { ...faults, throttle: faults.throttle - 1 };
      return { status: 503, body: htmlPage("HTTP Status 503 \u2013 Service Unavailable") };
    }
    if (faults.mode === "unauthorized" || req.headers.authorization !== expected) {
      return { status: 401, body: htmlPage("HTTP Status 401 \u2013 Unauthorized"), headers: { "www-authenticate": 'Basic realm="Cisco Unified Communications Manager"' } };
    }
    if (faults.mode === "forbidden")
      return { status: 403, body: htmlPage("HTTP Status 403 \u2013 Forbidden") };
    const action = SOAP_ACTION.exec(record.soapAction);
    const namespaces = new Set([...xml.matchAll(NAMESPACE)].map((m) => m[1]));
    const [namespace, ...others] = namespaces;
    if (action === null || namespace === void 0 || others.length > 0) {
      return { status: 500, body: renderAxlFault('The request needs a SOAPAction "CUCM:DB ver=<version> <operation>" and one AXL namespace http://www.cisco.com/AXL/API/<version>.', -1, "soapenv:Client") };
    }
    const version = action[1];
    if (!axl.versions.includes(version) || !axl.versions.includes(namespace))
      return { status: 599, body: "" };
    if (namespace !== version) {
      return { status: 500, body: renderAxlFault(`The SOAPAction names version ${version} but the namespace names ${namespace}: they must agree.`, -1, "soapenv:Client") };
    }
    const parsed = sqlOf(xml);
    if ("fault" in parsed)
      return { status: 500, body: renderAxlFault(parsed.fault, -1, "soapenv:Client") };
    record.sql = parsed.sql;
    let result;
    try {
      result = run(parseStatement(parsed.sql));
    } catch (error) {
      if (error instanceof SqlError)
        return { status: 500, body: renderAxlFault(error.message, error.code, "soapenv:Client") };
      throw error;
    }
    if (axl.faults.maxRowsGrace > 0) {
      axl.faults = { ...axl.faults, maxRowsGrace: axl.faults.maxRowsGrace - 1 };
    } else if (axl.faults.maxRows > 0 && result.rows.length > axl.faults.maxRows) {
      return { status: 500, body: renderAxlFault(tooLargeMessage(result.rows.length, axl.faults.maxRows), -1) };
    }
    const body = renderAxlRows(result, version);
    if (faults.mode === "malformed")
      return { status: 200, body: body.slice(0, Math.max(40, Math.floor(body.length / 2))) };
    return { status: 200, body };
  }
  async function handle(req, res) {
    if (req.method === "GET") {
      const ok = req.headers.authorization === expected && axl.faults.mode === "none";
      res.writeHead(ok ? 200 : 401, { "content-type": "text/html; charset=utf-8" }).end(htmlPage(ok ? "Cisco CallManager: AXL Web Service" : "HTTP Status 401 \u2013 Unauthorized"));
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "GET, POST" }).end();
      return;
    }
    const xml = await readBody(req);
    if (xml === null) {
      res.writeHead(413).end();
      return;
    }
    const record = { soapAction: String(req.headers.soapaction ?? ""), sql: null, status: 0 };
    axl.received.push(record);
    if (axl.received.length > RECEIVED_LIMIT)
      axl.received.splice(0, axl.received.length - RECEIVED_LIMIT);
    axl.stats.inFlight++;
    axl.stats.peakInFlight = Math.max(axl.stats.peakInFlight, axl.stats.inFlight);
    try {
      if (axl.faults.latencyMs > 0)
        await sleep(axl.faults.latencyMs);
    } finally {
      axl.stats.inFlight--;
    }
    const { status, body, headers } = answer(req, xml, record);
    record.status = status;
    res.writeHead(status, { "content-type": status === 200 || status === 500 ? XML_TYPE : "text/html; charset=utf-8", ...headers }).end(body);
  }
  async function admin(req, res, path) {
    const route = `${req.method ?? ""} ${path.slice(AXL_ADMIN_PREFIX.length)}`;
    const readJson = async () => {
      try {
        return JSON.parse(await readBody(req) ?? "");
      } catch {
        throw new BadInput("the body must be JSON");
      }
    };
    const snapshot = () => ({ user: credentials.user, faults: axl.faults, versions: axl.versions, received: axl.received.length });
    try {
      switch (route) {
        case "GET state":
          return sendJson(res, 200, snapshot());
        case "PUT faults":
          axl.setFaults(checkFaults(await readJson()));
          return sendJson(res, 200, axl.faults);
        case "PUT versions":
          axl.setVersions(checkVersions(await readJson()));
          return sendJson(res, 200, axl.versions);
        case "POST reset":
          axl.reset();
          return sendJson(res, 200, snapshot());
        default:
          return sendJson(res, 404, { error: "Not Found" });
      }
    } catch (error) {
      if (error instanceof BadInput)
        return sendJson(res, 400, { error: error.message });
      throw error;
    }
  }
  return axl;
}

// dist/simulator/xml.js
var DEFAULT_VARIANTS = {
  queryPrologue: false,
  failureForm: "error-code",
  deviceForm: "three-child",
  contentType: "text/xml;charset=UTF-8"
};
var PROLOGUE2 = '<?xml version="1.0"?>\n';
var ERROR_TEXTS = {
  1: "Unable to parse the request",
  2: "Cannot authorize the application user",
  3: "Could not authenticate the application user",
  8: "Query type undetermined",
  10: "Application user does not have proxy rights",
  11: "Device does not exist",
  12: "Device profile not found or not associated with the user",
  18: "Another user logged in",
  19: "No user logged in",
  22: "Extension Mobility is not enabled on the device",
  23: "User does not exist",
  25: "User logged in elsewhere",
  26: "Busy: the maximum number of concurrent requests is in progress"
};
function lines(...elements) {
  return elements.join("\n") + "\n";
}
function user(id) {
  return escapeXml(encodeUserIdLikeJava(id));
}
function renderSuccess() {
  return PROLOGUE2 + lines("<response>", "<success/>", "</response>");
}
function renderFailure(code, variants, kind) {
  const text2 = escapeXml(ERROR_TEXTS[code] ?? `Error ${code}`);
  const error = variants.failureForm === "errorMessage" ? `<errorMessage>${text2}</errorMessage>` : `<error code="${code}">${text2}</error>`;
  const prologue = kind === "action" || variants.queryPrologue ? PROLOGUE2 : "";
  return prologue + lines("<response>", "<failure>", error, "</failure>", "</response>");
}
function query(variants, results, items) {
  return (variants.queryPrologue ? PROLOGUE2 : "") + lines("<response>", `<${results}>`, ...items, `</${results}>`, "</response>");
}
function renderDeviceUserResults(results, variants) {
  return query(variants, "deviceUserResults", results.map((d) => {
    let children;
    if (!d.exists) {
      children = "<doesNotExist/>";
    } else {
      children = (d.currentUser === null ? "<none/>" : `<userID>${user(d.currentUser)}</userID>`) + (d.lastUser === null ? "<none/>" : `<lastlogin>${user(d.lastUser)}</lastlogin>`) + (variants.deviceForm === "three-child" ? "<emccDevice>no</emccDevice>" : "");
    }
    return `<device name="${escapeXml(d.name)}">${children}</device>`;
  }));
}
function renderUserDevicesResults(results, variants) {
  return query(variants, "userDevicesResults", results.map((u) => {
    const children = !u.exists ? "<doesNotExist/>" : u.devices.length === 0 ? "<none/>" : u.devices.map((d) => `<deviceName>${escapeXml(d)}</deviceName>`).join("");
    return `<user id="${user(u.id)}">${children}</user>`;
  }));
}
function renderDeviceProfileResults(results, variants) {
  return query(variants, "deviceProfileResults", results.map((u) => {
    const children = !u.exists ? "<doesNotExist/>" : u.profiles.length === 0 ? "<none/>" : u.profiles.map((p) => `<deviceProfile><deviceProfileName>${escapeXml(p.name)}</deviceProfileName><isDefaultDeviceProfile>${p.isDefault ? "t" : "f"}</isDefaultDeviceProfile></deviceProfile>`).join("");
    return `<user id="${user(u.id)}">${children}</user>`;
  }));
}
var parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === "deviceName" || name === "userID"
});
var StructureError = class extends Error {
  code;
  constructor(code) {
    super(`EMAPI code ${code}`);
    this.code = code;
  }
};
function isNode(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function text(value) {
  if (typeof value === "string")
    return value;
  if (isNode(value) && Object.keys(value).every((k) => k === "#text"))
    return typeof value["#text"] === "string" ? value["#text"] : "";
  throw new StructureError(1);
}
function texts(value) {
  if (!Array.isArray(value) || value.length === 0)
    throw new StructureError(1);
  return value.map(text);
}
function single(value) {
  const [only, ...rest] = texts(value);
  if (only === void 0 || rest.length > 0)
    throw new StructureError(1);
  return only;
}
function node(value) {
  if (isNode(value))
    return value;
  if (typeof value === "string" && value.trim() === "")
    return {};
  throw new StructureError(1);
}
function appInfoOf(root) {
  const info = node(root.appInfo);
  return { appId: text(info.appID), password: text(info.appCertificate) };
}
function parseLogin(root, login) {
  const app = appInfoOf(root);
  const profile = login.deviceProfile === void 0 ? void 0 : text(login.deviceProfile);
  let exclusiveMinutes = null;
  if (login.exclusiveDuration !== void 0) {
    const duration = node(login.exclusiveDuration);
    if (duration.time !== void 0) {
      const time2 = text(duration.time).trim();
      if (!/^\d+$/.test(time2))
        throw new StructureError(1);
      exclusiveMinutes = Number(time2);
    } else if (!("indefinite" in duration)) {
      throw new StructureError(1);
    }
  }
  return { kind: "login", app, deviceName: single(login.deviceName), userId: single(login.userID), deviceProfile: profile, exclusiveMinutes };
}
function parseRequest(root) {
  if (root.login !== void 0)
    return parseLogin(root, node(root.login));
  if (root.logout !== void 0)
    return { kind: "logout", app: appInfoOf(root), deviceName: single(node(root.logout).deviceName) };
  if (root.logoutAll !== void 0) {
    node(root.logoutAll);
    return { kind: "logoutAll", app: appInfoOf(root) };
  }
  throw new StructureError(1);
}
function parseQuery(root) {
  const app = appInfoOf(root);
  if (root.deviceUserQuery !== void 0)
    return { kind: "deviceUserQuery", app, deviceNames: texts(node(root.deviceUserQuery).deviceName) };
  if (root.userDevicesQuery !== void 0)
    return { kind: "userDevicesQuery", app, userIds: texts(node(root.userDevicesQuery).userID) };
  const profileQuery = root.deviceProfileQuery ?? root.userDeviceProfileQuery;
  if (profileQuery !== void 0)
    return { kind: "deviceProfileQuery", app, userIds: texts(node(profileQuery).userID) };
  throw new StructureError(8);
}
function parseDocument(xml) {
  if (xml.trim() === "" || XMLValidator.validate(xml) !== true)
    return { kind: "error", code: 1, query: false };
  const doc = parser.parse(xml);
  const roots = isNode(doc) ? Object.keys(doc).filter((k) => k !== "?xml") : [];
  const root = roots.length === 1 && isNode(doc) ? doc[roots[0]] : void 0;
  try {
    if (roots[0] === "request")
      return parseRequest(node(root));
    if (roots[0] === "query")
      return parseQuery(node(root));
    return { kind: "error", code: 1, query: false };
  } catch (error) {
    if (error instanceof StructureError)
      return { kind: "error", code: error.code, query: roots[0] === "query" };
    throw error;
  }
}

// dist/simulator/server.js
var SERVLET_PATH = "/emservice/EMServiceServlet";
var ADMIN_PREFIX = "/__simulator/";
var DEFAULT_APP_USER = "emapi-app";
var DEFAULT_APP_PASSWORD = "Demo-Passw0rd!";
var RECEIVED_LIMIT2 = 200;
var DEFAULT_FAULTS2 = { latencyMs: 0, jitterMs: 0, mode: "none", busyBurst: 0, faultTimes: 0 };
var FAULT_MODES2 = ["none", "http-503", "reset", "hang", "malformed", "empty", "huge", "endless", "trickle"];
var POLICIES = ["not-allowed", "allowed", "auto-logout"];
var TOMCAT_503 = '<!doctype html><html lang="en"><head><title>HTTP Status 503 \u2013 Service Unavailable</title></head><body><h1>HTTP Status 503 \u2013 Service Unavailable</h1><hr class="line" /><p><b>Type</b> Status Report</p><p><b>Message</b> Servlet EMServiceServlet is currently unavailable</p><p><b>Description</b> The server is currently unable to handle the request due to a temporary overload or scheduled maintenance.</p><hr class="line" /><h3>Apache Tomcat</h3></body></html>';
var BadInput2 = class extends Error {
};
function checkFaults2(input) {
  if (typeof input !== "object" || input === null)
    throw new BadInput2("faults must be an object");
  const faults = input;
  const out = {};
  for (const name of ["latencyMs", "jitterMs", "busyBurst", "faultTimes", "answerBytes"]) {
    const value = faults[name];
    if (value === void 0)
      continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      throw new BadInput2(`${name} must be a non-negative integer`);
    out[name] = value;
  }
  if (faults.mode !== void 0) {
    if (!FAULT_MODES2.includes(faults.mode))
      throw new BadInput2(`mode must be one of ${FAULT_MODES2.join(", ")}`);
    out.mode = faults.mode;
  }
  return out;
}
function checkVariants(input) {
  if (typeof input !== "object" || input === null)
    throw new BadInput2("variants must be an object");
  const variants = input;
  const out = {};
  if (variants.queryPrologue !== void 0) {
    if (typeof variants.queryPrologue !== "boolean")
      throw new BadInput2("queryPrologue must be a boolean");
    out.queryPrologue = variants.queryPrologue;
  }
  if (variants.failureForm !== void 0) {
    if (variants.failureForm !== "error-code" && variants.failureForm !== "errorMessage")
      throw new BadInput2("failureForm must be error-code or errorMessage");
    out.failureForm = variants.failureForm;
  }
  if (variants.deviceForm !== void 0) {
    if (variants.deviceForm !== "three-child" && variants.deviceForm !== "two-child")
      throw new BadInput2("deviceForm must be three-child or two-child");
    out.deviceForm = variants.deviceForm;
  }
  if (variants.contentType !== void 0) {
    if (typeof variants.contentType !== "string" || variants.contentType === "")
      throw new BadInput2("contentType must be a non-empty string");
    out.contentType = variants.contentType;
  }
  return out;
}
function checkPolicy(input) {
  if (typeof input !== "object" || input === null)
    throw new BadInput2("policy must be an object");
  const policy = input;
  const out = {};
  if (policy.multipleLogins !== void 0) {
    if (!POLICIES.includes(policy.multipleLogins))
      throw new BadInput2(`multipleLogins must be one of ${POLICIES.join(", ")}`);
    out.multipleLogins = policy.multipleLogins;
  }
  if (policy.maxConcurrent !== void 0) {
    if (typeof policy.maxConcurrent !== "number" || !Number.isInteger(policy.maxConcurrent) || policy.maxConcurrent < 1)
      throw new BadInput2("maxConcurrent must be a positive integer");
    out.maxConcurrent = policy.maxConcurrent;
  }
  return out;
}
async function readBody2(req) {
  const chunks = [];
  for await (const chunk of req)
    chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
function sleep2(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
async function streamAnswer(res, contentType, bytes, gapMs) {
  const device = '<device name="SEP000000000000"><none/><none/><emccDevice>no</emccDevice></device>\n';
  const piece = gapMs > 0 ? device : device.repeat(800);
  const gone = new Promise((resolve) => res.once("close", resolve));
  res.writeHead(200, { "content-type": contentType }).write('<?xml version="1.0"?>\n<response><deviceUserResults>');
  for (let sent = 0; sent < bytes && !res.destroyed; sent += piece.length) {
    if (!res.write(piece))
      await Promise.race([new Promise((resolve) => res.once("drain", resolve)), gone]);
    if (gapMs > 0)
      await Promise.race([sleep2(gapMs), gone]);
  }
  if (!res.destroyed)
    res.end("</deviceUserResults></response>");
}
function sendJson2(res, status, body) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
async function startSimulator(options = {}) {
  const host = options.host ?? "127.0.0.1";
  const credentials = {
    appUser: options.appUser ?? DEFAULT_APP_USER,
    appPassword: options.appPassword ?? DEFAULT_APP_PASSWORD
  };
  const initialScenario = options.scenario ?? seedScenario();
  const initialFaults = { ...DEFAULT_FAULTS2, ...checkFaults2(options.faults ?? {}) };
  const initialVariants = { ...DEFAULT_VARIANTS, ...checkVariants(options.variants ?? {}) };
  const initialPolicy = { multipleLogins: options.multipleLogins ?? "not-allowed", maxConcurrent: options.maxConcurrent ?? 5 };
  const state = new SimulatorState(initialScenario, { now: options.now, multipleLogins: initialPolicy.multipleLogins });
  const addAppUser = () => state.setAppUser({ id: credentials.appUser, password: credentials.appPassword, proxyRights: options.proxyRights ?? true });
  addAppUser();
  const random = createRandom(24301);
  const sockets = /* @__PURE__ */ new Set();
  const { key: key2, cert } = await createCertificate(host);
  const sim = {
    origin: "",
    host,
    port: 0,
    caPem: cert,
    caFile: "",
    credentials,
    state,
    axl: createAxlSimulator(state, options.axl),
    faults: { ...initialFaults },
    variants: { ...initialVariants },
    maxConcurrent: initialPolicy.maxConcurrent,
    setFaults(faults) {
      sim.faults = { ...sim.faults, ...checkFaults2(faults) };
    },
    setVariants(variants) {
      sim.variants = { ...sim.variants, ...checkVariants(variants) };
    },
    stats: { requests: 0, peakInFlight: 0, inFlight: 0 },
    received: [],
    resetStats() {
      sim.stats.requests = 0;
      sim.stats.peakInFlight = sim.stats.inFlight;
      sim.received.length = 0;
    },
    reset() {
      state.load(initialScenario);
      addAppUser();
      state.multipleLogins = initialPolicy.multipleLogins;
      sim.maxConcurrent = initialPolicy.maxConcurrent;
      sim.faults = { ...initialFaults };
      sim.variants = { ...initialVariants };
      sim.resetStats();
      sim.axl.reset();
    },
    close: async () => {
      clearInterval(expiryTimer);
      const closed = new Promise((resolve) => server.close(() => resolve()));
      for (const socket of sockets)
        socket.destroy();
      await closed;
      if (options.caFile === void 0)
        await rm(sim.caFile, { force: true });
    }
  };
  function latency() {
    const { latencyMs, jitterMs } = sim.faults;
    const ms = latencyMs + (jitterMs > 0 ? Math.floor(random() * (jitterMs + 1)) : 0);
    return ms > 0 ? sleep2(ms) : Promise.resolve();
  }
  function outcome(result, kind) {
    return result.ok ? renderSuccess() : renderFailure(result.code, sim.variants, kind);
  }
  function execute(doc) {
    if (doc.kind === "error")
      return renderFailure(doc.code, sim.variants, doc.query ? "query" : "action");
    const kind = doc.kind === "login" || doc.kind === "logout" || doc.kind === "logoutAll" ? "action" : "query";
    const auth = state.authorize(doc.app.appId, doc.app.password);
    if (!auth.ok)
      return outcome(auth, kind);
    switch (doc.kind) {
      case "login":
        return outcome(state.login({ deviceName: doc.deviceName, userId: doc.userId, deviceProfile: doc.deviceProfile, exclusiveMinutes: doc.exclusiveMinutes }), kind);
      case "logout":
        return outcome(state.logout(doc.deviceName), kind);
      case "logoutAll":
        return outcome(state.logoutAll(), kind);
      case "deviceUserQuery":
        return renderDeviceUserResults(state.deviceUserQuery(doc.deviceNames), sim.variants);
      case "userDevicesQuery":
        return renderUserDevicesResults(state.userDevicesQuery(doc.userIds), sim.variants);
      case "deviceProfileQuery":
        return renderDeviceProfileResults(state.deviceProfileQuery(doc.userIds), sim.variants);
    }
  }
  async function answer(doc) {
    const throttled = doc.kind === "login" || doc.kind === "logout" || doc.kind === "logoutAll";
    if (!throttled) {
      await latency();
      return execute(doc);
    }
    if (sim.faults.busyBurst > 0) {
      sim.faults = { ...sim.faults, busyBurst: sim.faults.busyBurst - 1 };
      return renderFailure(26, sim.variants, "action");
    }
    if (sim.stats.inFlight >= sim.maxConcurrent)
      return renderFailure(26, sim.variants, "action");
    sim.stats.inFlight++;
    sim.stats.peakInFlight = Math.max(sim.stats.peakInFlight, sim.stats.inFlight);
    try {
      await latency();
      return execute(doc);
    } finally {
      sim.stats.inFlight--;
    }
  }
  async function servlet(req, res, url) {
    let xml;
    if (req.method === "GET") {
      xml = url.searchParams.get("xml");
    } else if (req.method === "POST") {
      xml = new URLSearchParams(await readBody2(req)).get("xml");
    } else {
      res.writeHead(405, { allow: "GET, POST" }).end();
      return;
    }
    sim.stats.requests++;
    sim.received.push(xml ?? "");
    if (sim.received.length > RECEIVED_LIMIT2)
      sim.received.splice(0, sim.received.length - RECEIVED_LIMIT2);
    const mode = sim.faults.mode;
    if (mode !== "none" && sim.faults.faultTimes > 0) {
      sim.faults = { ...sim.faults, faultTimes: sim.faults.faultTimes - 1, ...sim.faults.faultTimes === 1 ? { mode: "none" } : {} };
    }
    switch (mode) {
      case "hang":
        return;
      case "reset":
        req.socket.destroy();
        return;
      case "http-503":
        await latency();
        res.writeHead(503, { "content-type": "text/html;charset=utf-8" }).end(TOMCAT_503);
        return;
      case "malformed":
        await latency();
        res.writeHead(200, { "content-type": sim.variants.contentType }).end('<?xml version="1.0"?>\n<response>\n<success>\n</respons');
        return;
      case "empty":
        await latency();
        res.writeHead(200, { "content-type": sim.variants.contentType }).end();
        return;
      case "huge":
      case "endless":
      case "trickle":
        await streamAnswer(res, sim.variants.contentType, mode === "huge" ? sim.faults.answerBytes ?? 1e7 : Infinity, mode === "trickle" ? 100 : 0);
        return;
    }
    const body = await answer(xml === null ? { kind: "error", code: 1, query: false } : parseDocument(xml));
    res.writeHead(200, { "content-type": sim.variants.contentType }).end(body);
  }
  async function admin(req, res, path) {
    const route2 = `${req.method ?? ""} ${path.slice(ADMIN_PREFIX.length)}`;
    const readJson = async () => {
      try {
        return JSON.parse(await readBody2(req));
      } catch {
        throw new BadInput2("the body must be JSON");
      }
    };
    const snapshot = () => ({
      counts: state.counts(),
      stats: { ...sim.stats, received: sim.received.length },
      faults: sim.faults,
      variants: sim.variants,
      policy: { multipleLogins: state.multipleLogins, maxConcurrent: sim.maxConcurrent }
    });
    try {
      switch (route2) {
        case "GET state":
          return sendJson2(res, 200, snapshot());
        case "PUT faults":
          sim.setFaults(checkFaults2(await readJson()));
          return sendJson2(res, 200, sim.faults);
        case "PUT variants":
          sim.setVariants(checkVariants(await readJson()));
          return sendJson2(res, 200, sim.variants);
        case "PUT policy": {
          const policy = checkPolicy(await readJson());
          if (policy.multipleLogins !== void 0)
            state.multipleLogins = policy.multipleLogins;
          if (policy.maxConcurrent !== void 0)
            sim.maxConcurrent = policy.maxConcurrent;
          return sendJson2(res, 200, { multipleLogins: state.multipleLogins, maxConcurrent: sim.maxConcurrent });
        }
        case "POST reset":
          sim.reset();
          return sendJson2(res, 200, snapshot());
        default:
          return sendJson2(res, 404, { error: "Not Found" });
      }
    } catch (error) {
      if (error instanceof BadInput2)
        return sendJson2(res, 400, { error: error.message });
      throw error;
    }
  }
  async function route(req, res) {
    const url = new URL(req.url ?? "/", "https://simulator");
    if (url.pathname === SERVLET_PATH)
      return await servlet(req, res, url);
    if (url.pathname === AXL_PATH)
      return await sim.axl.handle(req, res);
    if (url.pathname.startsWith(AXL_ADMIN_PREFIX))
      return await sim.axl.admin(req, res, url.pathname);
    if (url.pathname.startsWith(ADMIN_PREFIX))
      return await admin(req, res, url.pathname);
    res.writeHead(404, { "content-type": "text/html;charset=utf-8" }).end("<html><body><h1>HTTP Status 404 \u2013 Not Found</h1></body></html>");
  }
  const server = createServer({ key: key2, cert }, (req, res) => {
    route(req, res).catch((error) => {
      if (!res.headersSent)
        res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("tlsClientError", () => {
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  sim.port = typeof address === "object" && address !== null ? address.port : 0;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  sim.origin = `https://${urlHost === "0.0.0.0" || urlHost === "[::]" ? "127.0.0.1" : urlHost}:${sim.port}`;
  sim.caFile = options.caFile ?? join(tmpdir(), `em-console-simulator-ca-${process.pid}-${sim.port}.pem`);
  await writeFile(sim.caFile, cert);
  const expiryTimer = setInterval(() => state.expireDue(), options.expiryCheckMs ?? 1e3);
  expiryTimer.unref();
  return sim;
}

// dist/clusters/demo.js
var DEMO_CLUSTERS = [
  { id: "hq", name: "HQ (demo)" },
  { id: "branch", name: "Branch (demo)" }
];
async function startDemoClusters(config) {
  const started = await Promise.allSettled([
    startSimulator({ port: config.SIMULATOR_PORT }),
    startSimulator({ port: 0, scenario: branchScenario() })
  ]);
  const simulators = started.flatMap((s) => s.status === "fulfilled" ? [s.value] : []);
  const close = async () => {
    await Promise.all(simulators.map(async (sim) => {
      await sim.close();
    }));
  };
  const failed = started.find((s) => s.status === "rejected");
  if (failed !== void 0) {
    await close();
    throw failed.reason;
  }
  const definitions = simulators.map((sim, i) => ({
    source: "environment",
    settings: {
      id: DEMO_CLUSTERS[i]?.id ?? `demo-${i}`,
      name: DEMO_CLUSTERS[i]?.name ?? `Demo ${i}`,
      host: sim.host,
      port: sim.port,
      appUser: sim.credentials.appUser,
      appPassword: sim.credentials.appPassword,
      caPem: sim.caPem,
      tlsInsecure: false,
      timeoutMs: config.CUCM_TIMEOUT_MS,
      maxConcurrency: config.EMAPI_MAX_CONCURRENCY,
      timezone: i === 0 ? config.SCHEDULE_TIMEZONE : BRANCH_TIMEZONE,
      enabled: true,
      axl: { host: void 0, port: sim.port, user: sim.axl.credentials.user, password: sim.axl.credentials.password, version: void 0 }
    }
  }));
  return {
    definitions,
    simulators: new Map(definitions.map((d, i) => [d.settings.id, simulators[i]])),
    close
  };
}
export {
  DEMO_CLUSTERS,
  startDemoClusters
};
