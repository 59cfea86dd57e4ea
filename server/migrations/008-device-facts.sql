-- What the audit trail tells of a device beyond a look-up (services/device-facts.ts): CUCM's
-- answers to its latest logins and logouts, one index seek per device. Logins and logouts name
-- exactly one device (the first of `devices`); look-ups, which name many, stay out of this index.
CREATE INDEX audit_device_changes ON audit (json_extract(devices, '$[0]') COLLATE NOCASE, id) WHERE action IN ('login', 'logout');
