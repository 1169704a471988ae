export const SCOPES = {
  definitionsRead: 'connector-protimeapi-activity-definitions.read',
  definitionsWrite: 'connector-protimeapi-activity-definitions.write',
  peopleRead: 'connector-protimeapi-people.read',
  clockingsWrite: 'connector-protimeapi-clockings.write',
} as const;
