import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)

// dist/services/limiter.js
var Limiter = class {
  #max;
  #active = 0;
  #waiting = [];
  constructor(max) {
    this.#max = max;
  }
  get active() {
    return this.#active;
  }
  async run(task) {
    if (this.#active >= this.#max)
      await new Promise((resolve) => this.#waiting.push(resolve));
    else
      this.#active++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next !== void 0)
        next();
      else
        this.#active--;
    }
  }
};
async function mapLimited(items, limiter, worker) {
  return await Promise.all(items.map(async (item) => await limiter.run(async () => await worker(item))));
}
function chunk(items, size) {
  const chunks = [];
  for (let i = 0; i < items.length; i += size)
    chunks.push(items.slice(i, i + size));
  return chunks;
}

export {
  Limiter,
  mapLimited,
  chunk
};
