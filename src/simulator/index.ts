/**
 * A Protime API simulator over real HTTP, for tests, benchmarks and `ptgw demo`.
 *
 * Where Protime's documentation is silent the simulator chooses, and says so here:
 * - people items are `{id, changeVersion, firstName, lastName, employeeNumber, badgeNumber,
 *   inServiceDate, outOfServiceDate}`, null for absent values;
 * - definition items carry absent texts as null and leave absent dates out;
 * - errors are ProblemDetails `{type, title, status, detail, errors: {field: [message]}}`, with
 *   `$` as the field of an unreadable body; token errors use the OAuth2 `{error}` format;
 * - an unknown structure version or definition is 404, a level outside the structure 400;
 *   references inside a body (parent, restriction targets, clocking person/terminal/definitions)
 *   that do not exist are 400, as is a delta request on a collection without delta;
 * - creating through @data-entry-code or @external-reference takes the reference as that field's
 *   value when the body leaves it out (a body with a different value is a 400) — except that a
 *   tenant in manual data-entry mode always needs dataEntryCode in the body;
 * - a PUT …/usages whose original dates match no stored usage is 404 (the usage is the resource);
 * - a delta is per API client and per collection, each (structure version, level) list being a
 *   collection; a link used by another client is 410 like a replaced one;
 * - faults without `match.path` spare the token endpoint, so that a test aimed at the API does
 *   not merely break the token fetch;
 * - POST usages answers 201 with the definition's usages, as GET …/usages shows them;
 * - a clocking of another kind than Activity that carries activityLevels is 400.
 */
export { loadFixture } from './loadFixture.js';
export { parseFixture } from './parseFixture.js';
export { startSimulator, type Simulator, type SimulatorOptions } from './startSimulator.js';
export type { Fixture, FixtureInput, FixtureDefinition, FixtureDefinitionInput, FixturePerson, FixturePersonInput, FixtureUsage, FixtureRestriction } from './fixtureSchema.js';
export type { Fault, FaultList } from './FaultList.js';
export type { SimStore, StoredClocking } from './SimStore.js';
export type { RequestLogEntry } from './RequestLog.js';
