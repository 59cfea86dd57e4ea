import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  LEGACY_LIST_NAME
} from "./chunk-IHU36CPT.js";
import "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import "./chunk-Q3PXE6AK.js";
import {
  BadRequestError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/runs/settings-service.js
var KEY = "bulk_settings";
var EMPTY = { exemptions: { devices: [], users: [] }, deviceLists: [] };
var strings = (value) => Array.isArray(value) && value.every((v) => typeof v === "string");
function read(raw) {
  if (raw === void 0)
    return EMPTY;
  const parsed = JSON.parse(raw);
  const exemptions = strings(parsed.exemptions?.devices) && strings(parsed.exemptions.users) ? { devices: parsed.exemptions.devices, users: parsed.exemptions.users } : EMPTY.exemptions;
  const lists = Array.isArray(parsed.deviceLists) ? parsed.deviceLists.filter((l) => typeof l.name === "string" && strings(l.devices)) : strings(parsed.logoutDeviceList) && parsed.logoutDeviceList.length > 0 ? [{ name: LEGACY_LIST_NAME, devices: parsed.logoutDeviceList }] : [];
  return { exemptions, deviceLists: lists };
}
function view(stored) {
  return { ...stored, logoutDeviceList: stored.deviceLists[0]?.devices ?? [] };
}
function checkNames(lists) {
  const seen = /* @__PURE__ */ new Set();
  lists.forEach((list, i) => {
    if (seen.has(list.name.toLowerCase()))
      throw new BadRequestError(`deviceLists.${i}.name`, `Two device lists are named "${list.name}": give each list its own name.`);
    seen.add(list.name.toLowerCase());
  });
}
function createSettingsService(store) {
  const stored = () => read(store.settings.get(KEY));
  return {
    get: () => view(stored()),
    /**
     * Replaces the exemptions and the lists. An older client's `logoutDeviceList` alone replaces
     * the first list's devices; next to `deviceLists` it is the mirror it read, and ignored.
     */
    async update(caller, change) {
      const current = stored();
      let deviceLists = change.deviceLists ?? current.deviceLists;
      if (change.deviceLists === void 0 && change.logoutDeviceList !== void 0) {
        const [first, ...rest] = current.deviceLists;
        deviceLists = [{ name: first?.name ?? LEGACY_LIST_NAME, devices: change.logoutDeviceList }, ...rest];
      }
      checkNames(deviceLists);
      const next = { exemptions: change.exemptions, deviceLists };
      const { exemptions } = next;
      await store.write((w) => {
        w.settings.set(KEY, JSON.stringify(next));
        w.audit.record({ ...caller, action: "settings-update" }, {
          outcome: "success",
          message: `Settings saved: ${exemptions.devices.length} exempt devices, ${exemptions.users.length} exempt users, ` + (deviceLists.length === 0 ? "no device list." : `device lists ${deviceLists.map((l) => `"${l.name}" (${l.devices.length})`).join(", ")}.`)
        });
      }, "settings-update");
      return view(next);
    },
    /** The named list (names compare case-insensitively), or without a name the first one; undefined when there is none. */
    deviceList(name) {
      const { deviceLists } = stored();
      return name === void 0 ? deviceLists[0] : deviceLists.find((l) => l.name.toLowerCase() === name.toLowerCase());
    },
    /** A check of whether bulk logouts must leave a device (or the user on it) alone; names compare case-insensitively like CUCM's. */
    exemptionCheck() {
      const { exemptions } = stored();
      const devices = new Set(exemptions.devices.map((d) => d.toLowerCase()));
      const users = new Set(exemptions.users.map((u) => u.toLowerCase()));
      return (device, user) => devices.has(device.toLowerCase()) || user !== null && users.has(user.toLowerCase());
    }
  };
}
export {
  createSettingsService
};
