import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  createAuthService
} from "./chunk-GW75RTVU.js";
import {
  openStore
} from "./chunk-CLJ2HEGA.js";
import {
  ROLES
} from "./chunk-IHU36CPT.js";
import "./chunk-OHDZHCUG.js";
import "./chunk-CXTABL7R.js";
import {
  EXIT,
  UsageError
} from "./chunk-7INOBL6E.js";
import "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import "./chunk-Z63I4LD7.js";
import "./chunk-DNYFGISX.js";
import "./chunk-LQ36JWYZ.js";
import "./chunk-Q3PXE6AK.js";
import {
  ServiceError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/cli/accounts.js
import { Writable } from "node:stream";
import { createInterface } from "node:readline/promises";
var ACCOUNT_COMMANDS = ["add", "passwd", "disable", "enable", "list"];
async function readPassword(stdin, io) {
  if (stdin.isTTY !== true) {
    const lines = createInterface({ input: stdin, terminal: false })[Symbol.asyncIterator]();
    const first2 = await lines.next();
    return first2.done === true ? void 0 : first2.value;
  }
  const ask = async (prompt) => {
    process.stderr.write(prompt);
    const muted = new Writable({ write(_chunk, _encoding, done) {
      done();
    } });
    const rl = createInterface({ input: stdin, output: muted, terminal: true });
    try {
      return await rl.question("");
    } finally {
      rl.close();
      process.stderr.write("\n");
    }
  };
  const first = await ask("New password: ");
  if (await ask("Repeat it: ") === first)
    return first;
  io.err("The two passwords differ: nothing was changed.");
  return void 0;
}
async function accounts(config, args, caller, stdin, io) {
  const store = openStore({ path: config.DATABASE_PATH });
  try {
    const auth = createAuthService({ store, mode: config.CUCM_HOST === void 0 ? "simulator" : "cucm", limits: { idleMs: 0, absoluteMs: 0 } });
    if (args.command === "list") {
      const list = auth.listAccounts();
      if (args.json)
        io.out(JSON.stringify({ accounts: list }, null, 2));
      else {
        io.out(`${"USER".padEnd(24)} ${"ROLE".padEnd(9)} ${"STATE".padEnd(9)} LAST SIGN-IN`);
        for (const a of list)
          io.out(`${a.username.padEnd(24)} ${a.role.padEnd(9)} ${(a.disabled ? "disabled" : "enabled").padEnd(9)} ${a.lastSignInAt ?? "never"}`);
      }
      return EXIT.ok;
    }
    const username = args.username ?? "";
    const existing = auth.accountByName(username);
    if (args.command !== "add" && existing === void 0) {
      io.err(`No account named "${username}". "em-console user list" shows them.`);
      return EXIT.failed;
    }
    let done;
    if (args.command === "add" || args.command === "passwd") {
      const password = await readPassword(stdin, io);
      if (password === void 0 || password === "") {
        io.err("No password given: type it at the prompt, or pass it as the first line of stdin.");
        return EXIT.config;
      }
      if (args.command === "add") {
        await auth.createAccount(caller, username, password, args.role ?? "viewer");
        done = `Created ${args.role ?? "viewer"} account ${username}.`;
      } else {
        await auth.updateAccount(caller, existing?.id ?? 0, { password });
        done = `Set a new password for ${username}; their sessions are ended.`;
      }
    } else {
      await auth.updateAccount(caller, existing?.id ?? 0, { disabled: args.command === "disable" });
      done = args.command === "disable" ? `Disabled ${username}; their sessions are ended.` : `Enabled ${username}.`;
    }
    io.out(args.json ? JSON.stringify({ ok: true, message: done }) : done);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ServiceError))
      throw error;
    io.err(error.message);
    return error.kind === "bad-request" ? EXIT.config : EXIT.failed;
  } finally {
    await store.close();
  }
}
var isRole = (value) => ROLES.includes(value ?? "");
function accountArgsOf(command, rest, values) {
  const role = typeof values.role === "string" ? values.role : void 0;
  if (role !== void 0 && (command !== "add" || !isRole(role)))
    throw new UsageError('--role goes with "user add" and is viewer, operator or admin');
  if (command === "list") {
    if (rest.length > 0)
      throw new UsageError('"user list" takes no arguments');
    return { command };
  }
  const username = rest[0];
  if (rest.length !== 1 || username === void 0 || !/^[A-Za-z0-9._@-]{1,64}$/.test(username)) {
    throw new UsageError(`"user ${command}" takes one account name (letters, digits, dot, dash, underscore and @; up to 64 characters)`);
  }
  return { command, username, ...isRole(role) ? { role } : {} };
}
export {
  ACCOUNT_COMMANDS,
  accountArgsOf,
  accounts,
  isRole
};
