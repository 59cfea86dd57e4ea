import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'
import { X509Certificate } from 'node:crypto'
import { ConfigError, loadConfig, readEnvironment } from '../src/config.ts'
import { makeCertificate } from './helpers/https-server.ts'

const repoFile = (path: string): string => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8')

describe('deploy/em-console.service', () => {
  test('the service reads .env as the CLI does: from its working directory, with no EnvironmentFile of systemd in front', () => {
    const unit = repoFile('deploy/em-console.service')
    const directives = unit.split('\n').filter((line) => !line.trimStart().startsWith('#'))
    assert.ok(directives.includes('WorkingDirectory=/opt/em-console'), 'the working directory holds .env and data/')
    // systemd reads an EnvironmentFile by its own rules (an inline "# comment" and a backslash stay
    // in or change the value) and the environment wins over .env: the service would then run on
    // other settings than `em-console check` read from the same file.
    assert.deepEqual(directives.filter((line) => line.startsWith('EnvironmentFile=')), [])
  })

  test('the service may list the machine\'s addresses, which a server listening on HOST=0.0.0.0 does', () => {
    const unit = repoFile('deploy/em-console.service')
    const families = /^RestrictAddressFamilies=(.*)$/m.exec(unit)?.[1]?.split(/\s+/) ?? []
    // Fastify names every address it listens on: on 0.0.0.0 it asks the machine for them
    // (os.networkInterfaces, getifaddrs over netlink), and that start failed (exit 1, "uv_interface_addresses
    // returned Unknown system error 97"), restarted every 5 s, where README says 0.0.0.0 serves the network.
    for (const family of ['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_NETLINK']) assert.ok(families.includes(family), family)
  })

  test('the .env lines docs/operations.md gives for the nightly schedule are read as written', () => {
    const block = /For a deployment configured by file only, set in `\.env`:\n\n```sh\n([\s\S]*?)```/.exec(repoFile('docs/operations.md'))
    assert.ok(block?.[1] !== undefined, 'the example is in docs/operations.md')
    const dir = mkdtempSync(join(tmpdir(), 'em-deploy-'))
    try {
      writeFileSync(join(dir, '.env'), block[1])
      const config = loadConfig(readEnvironment({}, join(dir, '.env')))
      assert.equal(config.LOGOUT_ALL_SCHEDULE, '0 2 * * *')
      assert.equal(config.SCHEDULE_TIMEZONE, 'Europe/Paris')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('.env as an admin writes it', () => {
  function read (text: string): Record<string, string> {
    return readBytes(Buffer.from(text))
  }

  function readBytes (bytes: Buffer): Record<string, string> {
    const dir = mkdtempSync(join(tmpdir(), 'em-env-'))
    try {
      writeFileSync(join(dir, '.env'), bytes)
      return readEnvironment({}, join(dir, '.env'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  test('a password holding a # stops the start naming its key, not the password, unless it is quoted; a comment after a space is fine', () => {
    assert.throws(() => read('CUCM_APP_PASSWORD=Pa55#word-x\n'), (error: Error & { key?: string }) => {
      assert.equal(error.key, 'CUCM_APP_PASSWORD')
      assert.match(error.message, /holds a # inside its value/)
      assert.doesNotMatch(`${error.message} ${JSON.stringify(error)}`, /Pa55|word-x/)
      return true
    })
    assert.equal(read("CUCM_APP_PASSWORD='Pa55#word-x'\n").CUCM_APP_PASSWORD, 'Pa55#word-x')
    assert.equal(read('CUCM_APP_PASSWORD="it\'s#1 pass"\n').CUCM_APP_PASSWORD, "it's#1 pass")
    assert.equal(read('PORT=7540 # the dashboard\n# a comment line\n').PORT, '7540')
    // After a space, a # in a password was taken for a comment: Pa55 #word-x was sent as Pa55, and #Pa55 as no password.
    for (const line of ['CUCM_APP_PASSWORD=Pa55 #word-x', 'CUCM_AXL_PASSWORD=#Pa55word-x', 'ADMIN_PASSWORD=Pa55word-x-12 # the first admin']) {
      assert.throws(() => read(`${line}\n`), (error: Error & { key?: string }) => {
        assert.equal(error.key, line.slice(0, line.indexOf('=')))
        assert.match(error.message, /holds a # in \.env, where an unquoted # begins a comment: in a password or key it cannot be told from a character of it/)
        assert.doesNotMatch(`${error.message} ${JSON.stringify(error)}`, /Pa55|word-x/)
        return true
      }, line)
    }
    // An `export` in front (a shell habit .env reads too) was not checked: the password went to CUCM as Pa55.
    for (const line of ['export CUCM_APP_PASSWORD=Pa55#word-x', "export CUCM_APP_PASSWORD='O'Neil#1'"]) {
      assert.throws(() => read(`${line}\n`), (error: Error & { key?: string }) => {
        assert.equal(error.key, 'CUCM_APP_PASSWORD')
        assert.doesNotMatch(`${error.message} ${JSON.stringify(error)}`, /Pa55|word-x|Neil/)
        return true
      }, line)
    }
    assert.equal(read("export CUCM_APP_PASSWORD='Pa55#word-x'\n").CUCM_APP_PASSWORD, 'Pa55#word-x')
  })

  test('a quoted value cut short by its own quote stops the start naming its key, not the password; backquotes hold both quotes', () => {
    // .env ends a quoted value at its first matching quote and drops what follows on the line:
    // 'O'Neil#1' was read as O, and CUCM answered "Could not authenticate" (met on a first start).
    for (const line of ["CUCM_APP_PASSWORD='O'Neil#1'", 'CUCM_APP_PASSWORD="Pa55\\"word"x"']) {
      assert.throws(() => read(`${line}\n`), (error: Error & { key?: string }) => {
        assert.equal(error.key, 'CUCM_APP_PASSWORD')
        assert.match(error.message, /ends at its own quote/)
        assert.doesNotMatch(`${error.message} ${JSON.stringify(error)}`, /Neil|word/)
        return true
      }, line)
    }
    assert.equal(read('CUCM_APP_PASSWORD=`Pa55"O\'Neil#1`\n').CUCM_APP_PASSWORD, 'Pa55"O\'Neil#1')
    assert.equal(read("CUCM_APP_PASSWORD='x y' # a comment\nCUCM_HOST=\"cucm\"  \n").CUCM_APP_PASSWORD, 'x y')
    assert.equal(read('CUCM_APP_PASSWORD="two\nlines"\n').CUCM_APP_PASSWORD, 'two\nlines')
  })

  test('a \\n in double quotes, which .env reads as a line break, stops the start naming the key, not the value; in single quotes or backquotes it is read as written', () => {
    // "O'Neil\new1" was sent to CUCM as O'Neil, a line break and ew1: a wrong password.
    for (const text of ['CUCM_APP_PASSWORD="O\'Neil\\new1"\n', 'CUCM_APP_PASSWORD="O\'Neil\\new1\nword"\n', 'export CUCM_APP_PASSWORD="C:\\new"\n']) {
      assert.throws(() => read(text), (error: Error & { key?: string }) => {
        assert.equal(error.key, 'CUCM_APP_PASSWORD')
        assert.equal(error.message, 'Configuration error in CUCM_APP_PASSWORD: holds \\n in double quotes in .env, which reads it as a line break')
        assert.doesNotMatch(JSON.stringify(error), /Neil|C:/)
        return true
      }, text)
    }
    assert.equal(read('CUCM_APP_PASSWORD=`O\'Neil\\new1`\n').CUCM_APP_PASSWORD, 'O\'Neil\\new1')
    assert.equal(read("CUCM_APP_PASSWORD='C:\\new'\n").CUCM_APP_PASSWORD, 'C:\\new')
  })

  test('blanks around an unquoted value are no part of it, tabs as spaces; a quoted value keeps them', () => {
    // A tab after the password, or before its comment, was sent to CUCM with it (a wrong password)
    // where a space was dropped; a value of only a tab set CUCM_APP_PASSWORD to a tab.
    assert.deepEqual(read('CUCM_APP_PASSWORD=Pa55word-x\t\nCUCM_APP_USER=\temapi \t# the user\nCUCM_TLS_INSECURE=false\t\nCUCM_HOST=\t\n'),
      { CUCM_APP_PASSWORD: 'Pa55word-x', CUCM_APP_USER: 'emapi', CUCM_TLS_INSECURE: 'false' })
    assert.equal(read('CUCM_APP_PASSWORD=\'Pa55word-x\t\'\n').CUCM_APP_PASSWORD, 'Pa55word-x\t')
    assert.equal(read('CUCM_APP_PASSWORD=Pa55\tword-x\n').CUCM_APP_PASSWORD, 'Pa55\tword-x')
  })

  test('a line that is not KEY=value (a colon or a space for the =) stops the start naming its key and line, not its value', () => {
    // .env's reading joined such a line to the next line's key: the refusal named
    // 'CUCM_HOST: cucm1.example.com\nCUCM_APP_USER', which no admin had written.
    for (const line of ['CUCM_HOST: cucm1.example.com', 'CUCM_APP_PASSWORD Pa55word-x']) {
      assert.throws(() => read(`# CUCM\n${line}\nCUCM_APP_USER=emapi\n`), (error: Error & { key?: string }) => {
        const key = line.slice(0, line.search(/[: ]/))
        assert.equal(error.key, key)
        assert.equal(error.message, `Configuration error in ${key}: line 2 of .env is not of the form KEY=value`)
        assert.doesNotMatch(JSON.stringify(error), /cucm1|Pa55/)
        return true
      }, line)
    }
    // The lines of a quoted value of several lines are its own.
    assert.equal(read('CUCM_APP_PASSWORD="two\nlines"\nPORT=7540\n').PORT, '7540')
  })

  test('a key given twice with different values stops the start naming it and its lines, not its values; the same value twice reads', () => {
    // .env kept the last: CUCM_HOST written at the top of a copied .env-sample was undone by the
    // sample's empty CUCM_HOST= below it, and the server and the CLI ran demo mode.
    const sample = repoFile('.env-sample')
    assert.throws(() => read(`CUCM_HOST=cucm1.example.com\nCUCM_APP_USER=emapi\nCUCM_APP_PASSWORD=Pa55word-x\n${sample}`), (error: Error & { key?: string }) => {
      assert.equal(error.key, 'CUCM_HOST')
      assert.match(error.message, /^Configuration error in CUCM_HOST: given twice in \.env with different values \(lines 1 and \d+\)/)
      assert.doesNotMatch(JSON.stringify(error), /cucm1|Pa55/)
      return true
    })
    assert.throws(() => read('CUCM_APP_PASSWORD=Pa55word-x\nPORT=7540\nCUCM_APP_PASSWORD=\'Pa55word-y\'\n'), /CUCM_APP_PASSWORD: given twice in \.env with different values \(lines 1 and 3\)/)
    assert.equal(read('PORT=7540\nPORT=\'7540\'  # again\n').PORT, '7540')
  })

  test('a quote that no line closes stops the start naming its key and line, not its value', () => {
    // .env read the value with its quote ('Pa55word-x), and the lines after it went unchecked:
    // CUCM_HOST: cucm1 below it was refused as a key 'CUCM_HOST: cucm1\nPORT' nobody wrote.
    for (const rest of ['', 'CUCM_HOST: cucm1.example.com\nPORT=7540\n']) {
      assert.throws(() => read(`# CUCM\nCUCM_APP_PASSWORD='Pa55word-x\n${rest}`), (error: Error & { key?: string }) => {
        assert.equal(error.key, 'CUCM_APP_PASSWORD')
        assert.equal(error.message, 'Configuration error in CUCM_APP_PASSWORD: line 2 of .env opens a \' that no line after it closes')
        assert.doesNotMatch(JSON.stringify(error), /Pa55|cucm1/)
        return true
      }, rest)
    }
  })

  test('an empty variable of the environment leaves .env\'s value standing: it does not turn CUCM_HOST off into demo mode', () => {
    // A compose file's CUCM_HOST=${CUCM_HOST} with nothing behind it passes an empty variable: it
    // erased .env's CUCM_HOST, and the server started in demo mode on its own simulator.
    const dir = mkdtempSync(join(tmpdir(), 'em-env-'))
    try {
      writeFileSync(join(dir, '.env'), 'CUCM_HOST=cucm1.example.com\nCUCM_APP_USER=emapi\nCUCM_APP_PASSWORD=Pa55word-x\nPORT=7540\n')
      const env = readEnvironment({ CUCM_HOST: '', PORT: '7541' }, join(dir, '.env'))
      assert.equal(loadConfig(env).CUCM_HOST, 'cucm1.example.com')
      assert.equal(env.PORT, '7541', 'a value of the environment still wins')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a .env that is a link to a file that is gone, or a folder, stops the start saying so; no .env at all is no settings', () => {
    // A link to a removed /etc/em-console/env was taken for no .env: demo mode, the CLI's note
    // saying "There is no .env" beside it.
    const dir = mkdtempSync(join(tmpdir(), 'em-env-'))
    try {
      assert.deepEqual(readEnvironment({}, join(dir, '.env')), {})
      symlinkSync(join(dir, 'gone.env'), join(dir, '.env'))
      assert.throws(() => readEnvironment({}, join(dir, '.env')), (error: ConfigError) => {
        assert.equal(error.message, `Configuration error in .env: ${join(dir, '.env')} is a link to ${join(dir, 'gone.env')}, which does not exist`)
        return true
      })
      mkdirSync(join(dir, 'folder.env'))
      assert.throws(() => readEnvironment({}, join(dir, 'folder.env')), /folder\.env is a folder, not a file$/)
      // A link that leads back to itself was told to "run as the user that owns it".
      symlinkSync(join(dir, 'loop.env'), join(dir, 'loop.env'))
      assert.throws(() => readEnvironment({}, join(dir, 'loop.env')), (error: ConfigError) => {
        assert.equal(error.message, `Configuration error in .env: ${join(dir, 'loop.env')} is a link that leads back to itself (a loop of links)`)
        assert.equal(error.fix, 'Point the link at the settings file, or put the file itself in its place.')
        return true
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a .env saved with a byte order mark (Windows Notepad\'s "UTF-8 with BOM") is read as written', () => {
    // The mark was read as part of the first line: a comment line became a key, and the start
    // stopped with 'Configuration error in \uFEFF# EM Console settings...: not a setting', its
    // cause invisible; a first line CUCM_HOST=... was refused as a typo of CUCM_HOST.
    const env = read('\uFEFF# EM Console settings\nCUCM_HOST=cucm1.example.com\nPORT=7540\n')
    assert.equal(env.CUCM_HOST, 'cucm1.example.com')
    assert.equal(env.PORT, '7540')
    assert.equal(read('\uFEFFCUCM_HOST=cucm1.example.com\r\n').CUCM_HOST, 'cucm1.example.com')
  })

  test('a .env saved by Notepad as "Unicode" (UTF-16) is read as written; one saved as "ANSI" stops the start naming the line\'s key, not its value', () => {
    // UTF-16 was read as UTF-8: the refusal named a first line of NULs, CUCM_APP_PASSWORD=<the
    // password> in it. ANSI's ä became U+FFFD, and CUCM refused every login as a wrong password.
    const text = 'CUCM_APP_PASSWORD=Pässword-x\r\nPORT=7540\r\n'
    const bom = Buffer.from([0xff, 0xfe])
    for (const bytes of [Buffer.concat([bom, Buffer.from(text, 'utf16le')]), Buffer.concat([bom, Buffer.from(text, 'utf16le')]).swap16()]) {
      assert.deepEqual(readBytes(bytes), { CUCM_APP_PASSWORD: 'Pässword-x', PORT: '7540' })
    }
    assert.throws(() => readBytes(Buffer.from(`# EM Console\r\n${text}`, 'latin1')), (error: Error & { key?: string }) => {
      assert.equal(error.key, 'CUCM_APP_PASSWORD')
      assert.match(error.message, /line 2 of \.env is not UTF-8 text/)
      assert.doesNotMatch(`${error.message} ${JSON.stringify(error)}`, /ssword/)
      return true
    })
  })
})

describe('paths as an admin writes them', () => {
  test('a path beginning with ~ stops the start naming its key: ~ is read as a home folder only by a shell', () => {
    // DATABASE_PATH=~/em-console/audit.db made ./~/em-console/audit.db, a new and empty audit
    // trail, and the log named it ~/em-console/audit.db.
    for (const key of ['DATABASE_PATH', 'SECRET_KEY_FILE', 'CUCM_CA_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE']) {
      assert.throws(() => loadConfig({ [key]: '~/em-console/file' }), (error: ConfigError) => {
        assert.equal(error.key, key)
        assert.match(error.message, /must be a path not beginning with ~ \(only a shell reads ~ as a home folder\)/)
        return true
      }, key)
    }
    assert.equal(loadConfig({ DATABASE_PATH: './data/~audit.db' }).DATABASE_PATH, './data/~audit.db')
  })
})

describe('CUCM_CA_FILE as CUCM gives it', () => {
  test('a binary (DER) certificate, which CUCM offers beside the PEM one, is refused saying how to convert it', async () => {
    // It was refused as 'not a PEM certificate ... download the tomcat ... certificate as .pem',
    // sending the admin back to CUCM for a file they could convert where it is.
    const dir = mkdtempSync(join(tmpdir(), 'em-ca-'))
    try {
      const der = join(dir, 'tomcat.der')
      writeFileSync(der, new X509Certificate((await makeCertificate()).cert).raw)
      const env = { CUCM_HOST: 'cucm1.example.com', CUCM_APP_USER: 'emapi', CUCM_APP_PASSWORD: 'secret', CUCM_CA_FILE: der }
      assert.throws(() => loadConfig(env), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.key, 'CUCM_CA_FILE')
        assert.equal(error.message, `Configuration error in CUCM_CA_FILE: ${der}: a binary (DER) certificate, while CUCM_CA_FILE takes PEM: convert it with openssl x509 -inform der -in ${der} -out cucm-ca.pem and set CUCM_CA_FILE to that file.`)
        return true
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('deploy/em-console-logout-all.service and .timer', () => {
  const directives = (file: string): string[] => repoFile(file).split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
  const hardening = (lines: readonly string[]): string[] => lines.slice(lines.indexOf('NoNewPrivileges=true'), lines.indexOf('UMask=0077') + 1)

  test('the nightly job runs the CLI where the server runs, as its user, reading .env as it does, hardened as it is', () => {
    const job = directives('deploy/em-console-logout-all.service')
    const server = directives('deploy/em-console.service')
    for (const line of ['Type=oneshot', 'User=em-console', 'WorkingDirectory=/opt/em-console', 'ExecStart=/usr/bin/node server/bundle/cli.js logout-all --yes', 'CacheDirectory=em-console']) assert.ok(job.includes(line), line)
    assert.deepEqual(job.filter((line) => line.startsWith('EnvironmentFile=')), [])
    assert.ok(hardening(server).length > 10, 'the server unit\'s hardening is found')
    assert.deepEqual(hardening(job), hardening(server))
  })

  test('the timer fires the job nightly and does not make up a missed run', () => {
    const timer = directives('deploy/em-console-logout-all.timer')
    assert.ok(timer.includes('OnCalendar=*-*-* 02:00:00'))
    assert.ok(timer.includes('Persistent=false'))
    assert.ok(timer.includes('WantedBy=timers.target'))
  })
})
