import assert from 'node:assert/strict'
import { isIPv6 } from 'node:net'
import { test } from 'node:test'
import { deviceNameProblem, userIdProblem } from '../src/emapi/names.ts'
import { APP_PASSWORD, AXL_VERSION, CLUSTER_ID, DEVICE_NAME, fieldProblem, HOST_FORM, patternOf, SCHEDULE_NAME, shortProblem, spelledTimeZone, timeZoneProblem, UNLISTED_TIME_ZONES, USER_ID } from '../src/field-rules.ts'

test('a first character that is not allowed is quoted whole: an emoji, not half of its surrogate pair', () => {
  assert.equal(shortProblem(CLUSTER_ID, '💥'), 'it starts with "💥"')
  assert.equal(fieldProblem(CLUSTER_ID, '💥-emea'), 'Id: letters, digits and dash, starting with a letter or digit; up to 40 characters. It starts with "💥".')
  assert.equal(shortProblem(SCHEDULE_NAME, '-nightly'), 'it starts with "-"')
})

test('a password sent to CUCM may hold tab and line breaks, not what XML cannot carry', () => {
  const pattern = new RegExp(patternOf(APP_PASSWORD))
  for (const password of ['tab\there', 'two\r\nlines', 'pâss 💥']) {
    assert.equal(shortProblem(APP_PASSWORD, password), undefined, password)
    assert.ok(pattern.test(password), password)
  }
  assert.equal(shortProblem(APP_PASSWORD, 'p\u0001'), '"U+0001" is not allowed (it cannot be sent to CUCM in XML)')
  assert.ok(!pattern.test('p\u0001'))
})

test('an AXL version has a form: what is wrong with one says so, quoting it', () => {
  const pattern = new RegExp(patternOf(AXL_VERSION))
  for (const version of ['14.0', '8.5']) {
    assert.equal(shortProblem(AXL_VERSION, version), undefined, version)
    assert.ok(pattern.test(version), version)
  }
  assert.equal(shortProblem(AXL_VERSION, 'a b'), '"a b" is not of that form')
  assert.equal(shortProblem(AXL_VERSION, '14'), '"14" is not of that form')
  assert.equal(shortProblem(AXL_VERSION, '1'.repeat(300)), '300 characters, 296 too many')
})

test('a time zone typed in another case is kept as the time zone database spells it, a valid spelling as typed', () => {
  const typed: Array<[string, string]> = [
    ['europe/oslo', 'Europe/Oslo'], ['utc', 'UTC'], ['UTC', 'UTC'],
    // Today's names the engine lists under CLDR's older ones (it lists Asia/Calcutta, not Asia/Kolkata).
    ['asia/kolkata', 'Asia/Kolkata'], ['EUROPE/KYIV', 'Europe/Kyiv'], ['america/argentina/buenos_aires', 'America/Argentina/Buenos_Aires'], ['etc/utc', 'Etc/UTC'],
    // A valid spelling stays what the admin typed: the older name is not renamed, nor the newer one.
    ['Asia/Calcutta', 'Asia/Calcutta'], ['asia/calcutta', 'Asia/Calcutta'], ['Asia/Kolkata', 'Asia/Kolkata'],
    // An older alias in neither list keeps its spelling.
    ['US/Eastern', 'US/Eastern']
  ]
  assert.deepEqual(typed.map(([zone]) => [zone, spelledTimeZone(zone)]), typed)
})

test('every name added to the engine\'s list is one the engine accepts as spelled there', () => {
  for (const zone of UNLISTED_TIME_ZONES) assert.equal(timeZoneProblem(zone), undefined, zone)
})

test('a host with a colon is taken only when it is an IPv6 address, in any of its forms, and every host taken makes a URL', () => {
  const known = ['::1', '::', 'fe80::1', '2001:db8::10.1.1.1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::ffff:10.0.0.1', '1:2:3:4:5:6:1.2.3.4',
    '1::2::3', ':::', '1:2:3', '1:2:3:4:5:6:7:8:9', '1::2:3:4:5:6:7:8', '12345::1', 'cucm.example.org:8443', '10.1.1.1:8443', '1:2:3:4:5:1.2.3.4',
    '1:2:3:4:5::1.2.3.4', '1::2:3:4:5:1.2.3.4', '1:2:3:4:5:6::1.2.3.4', '::1:2:3:4:5:6:7', '::1:2:3:4:5:6:7:8', '1:2:3:4:5:6::8', '1:2:3:4:5:6:7::8', '1::', '::1.2.3.4', '1:2::3:4::5']
  // Strings of the characters an address is made of, from a fixed seed: the same every run.
  let seed = 14
  const random = (n: number): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed % n }
  const made = Array.from({ length: 20_000 }, () => Array.from({ length: 2 + random(18) }, () => '01f:::.'[random(7)]).join(''))
  for (const host of [...known, ...made].filter((h) => h.includes(':'))) {
    assert.equal(HOST_FORM.test(host), isIPv6(host), host)
  }
  // A last label of 0x and hex digits is a number to a URL, as one of digits: "cucm.lab.0xab" makes none.
  for (const host of ['cucm.lab.0xab', 'cucm.0X1F.', 'a.0x', '0xa']) assert.equal(HOST_FORM.test(host), false, host)
  for (const host of ['cucm.0xg', '0x1.example.org', 'x0x1']) assert.equal(HOST_FORM.test(host), true, host)
  for (const host of [...known, ...made, 'cucm', 'cucm.example.org', 'cucm-1.', '10.1.1.1', '10.1.1.256', '1.2.3', '0x7f.1', 'cucm.lab.0xab', 'a.0x']) {
    if (HOST_FORM.test(host)) assert.doesNotThrow(() => new URL(`https://${host.includes(':') ? `[${host}]` : host}:8443/`), host)
  }
})

test('a character nobody can see (pasted from a chat or a web page) is named by its code point, not quoted as nothing', () => {
  assert.equal(shortProblem(DEVICE_NAME, 'SEP001122334455\u200b'), '"U+200B" (a character that cannot be seen) is not allowed')
  assert.equal(shortProblem(SCHEDULE_NAME, '\u200eNightly'), 'it starts with "U+200E" (a character that cannot be seen)')
  assert.equal(shortProblem(SCHEDULE_NAME, 'Ward\u00a0B'), '"U+00A0" (a character that cannot be seen) is not allowed')
  // What can be seen is quoted as before.
  assert.equal(shortProblem(DEVICE_NAME, 'SEP 1'), '" " is not allowed')
  assert.equal(shortProblem(DEVICE_NAME, 'SEP<1'), '"<" is not allowed')
})

test('the command line counts a user ID\'s characters as the API and the dashboard do: 𠮷 (a kanji of Japanese surnames, beyond U+FFFF) is one, not two', () => {
  const long = '𠮷田'.repeat(50)
  assert.equal(fieldProblem(USER_ID, long), undefined)
  assert.equal(userIdProblem(long), undefined)
  assert.equal(userIdProblem(`${long}${'𠮷'.repeat(29)}`), 'the user ID is 129 characters long; at most 128 are allowed')
})

test('a device name and a user ID at their longest are accepted, one character more refused, a long one quoted cut short', () => {
  assert.equal(deviceNameProblem(`SEP${'A'.repeat(47)}`), undefined)
  assert.equal(deviceNameProblem(`SEP${'A'.repeat(48)}`), `"SEP${'A'.repeat(48)}" is 51 characters long; a device name has at most 50`)
  assert.equal(deviceNameProblem(`SEP${'A'.repeat(60)}`), `"SEP${'A'.repeat(57)}…" is 63 characters long; a device name has at most 50`)
  assert.equal(deviceNameProblem(''), 'a device name is empty')
  assert.equal(userIdProblem('u'.repeat(128)), undefined)
  assert.equal(userIdProblem('u'.repeat(129)), 'the user ID is 129 characters long; at most 128 are allowed')
})
