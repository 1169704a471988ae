/**
 * Rules that span entries or sections: unique ids, a terminal's devices and structure version
 * naming configured ones, its levels fitting that structure version. They read the YAML data
 * as written (not the schema's output) with defensive type tests, so that one broken device or a
 * wrong type elsewhere does not hide these problems from `ptgw check-config`, and an entry the
 * schema already refuses does not cause a second, misleading "unknown device" problem.
 */

export interface PathProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

type Entry = Record<string, unknown>;

function isEntry(v: unknown): v is Entry {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The list at `value`, or undefined when it is absent (default []) or not a list. */
function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function crossCheck(data: unknown): PathProblem[] {
  if (!isEntry(data)) return [];
  const problems: PathProblem[] = [];
  const add = (path: readonly PropertyKey[], message: string): void => void problems.push({ path, message });

  // Structure versions: bare id or {id, levels}.
  const protime = isEntry(data.protime) ? data.protime : undefined;
  const svList = list(protime?.structureVersions);
  const svs = new Map<string, number | undefined>();
  svList?.forEach((sv, i) => {
    const svId = typeof sv === 'string' ? sv : isEntry(sv) && typeof sv.id === 'string' ? sv.id : undefined;
    if (svId === undefined) return;
    if (svs.has(svId)) add(['protime', 'structureVersions', i], `structure version "${svId}" is listed twice`);
    svs.set(svId, isEntry(sv) && typeof sv.levels === 'number' ? sv.levels : undefined);
  });

  // Devices: unique ids. A missing `devices` key means none; a non-list is the schema's problem.
  const deviceList = data.devices === undefined ? [] : list(data.devices);
  const deviceIds = new Set<string>();
  deviceList?.forEach((d, i) => {
    if (!isEntry(d) || typeof d.id !== 'string') return;
    if (deviceIds.has(d.id)) add(['devices', i, 'id'], `device id "${d.id}" is used twice`);
    deviceIds.add(d.id);
  });

  const terminalIds = new Set<string>();
  const boundTo = new Map<string, string>();
  list(data.terminals)?.forEach((t, i) => {
    if (!isEntry(t)) return;
    const name = typeof t.id === 'string' ? t.id : `#${i + 1}`;
    if (typeof t.id === 'string') {
      if (terminalIds.has(t.id)) add(['terminals', i, 'id'], `terminal id "${t.id}" is used twice`);
      terminalIds.add(t.id);
    }

    // A device feeds one dialog: two terminals reading the same keypad would race for its input.
    const key = t.devices === undefined && t.inputs !== undefined ? 'inputs' : 'devices';
    list(t[key])?.forEach((deviceId, j) => {
      if (typeof deviceId !== 'string') return;
      if (deviceList !== undefined && !deviceIds.has(deviceId)) add(['terminals', i, key, j], `no device "${deviceId}" is configured under devices`);
      const other = boundTo.get(deviceId);
      if (other !== undefined) add(['terminals', i, key, j], other === name ? `device "${deviceId}" is listed twice` : `device "${deviceId}" is already bound to terminal ${other}`);
      else boundTo.set(deviceId, name);
    });

    if (svList === undefined || typeof t.structureVersion !== 'string') return;
    if (!svs.has(t.structureVersion)) {
      add(['terminals', i, 'structureVersion'], `"${t.structureVersion}" is not one of protime.structureVersions`);
      return;
    }
    const depth = svs.get(t.structureVersion);
    if (depth === undefined) return;
    list(t.levels)?.forEach((level, k) => {
      if (typeof level === 'number' && level > depth) add(['terminals', i, 'levels', k], `level ${level} is deeper than the ${depth} levels of structure version ${t.structureVersion}`);
    });
  });
  return problems;
}
