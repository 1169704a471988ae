/** The OAuth scopes of the Protime API the gateway uses (and the simulator enforces). */
export const SCOPES = {
  definitionsRead: 'connector-protimeapi-activity-definitions.read',
  definitionsWrite: 'connector-protimeapi-activity-definitions.write',
  peopleRead: 'connector-protimeapi-people.read',
  clockingsRead: 'connector-protimeapi-clockings.read',
  clockingsWrite: 'connector-protimeapi-clockings.write',
} as const;
