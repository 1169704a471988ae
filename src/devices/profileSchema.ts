import { z } from 'zod';

/**
 * The device profile format (device-profiles/*.json): how to talk to one device model. Validated
 * at start-up; a broken profile stops the daemon with the file and field named.
 */

/**
 * How the classifier compiles a pattern: it must match the whole frame (after prefixes are
 * stripped). Searched anywhere, a pattern a plant writes as "C" for cancel took every badge or
 * code with a C in it, and a badge pattern without ^ took a code that merely contained one.
 */
export function framePattern(src: string): RegExp {
  // Compiled alone first: wrapped, an unbalanced pattern such as `a)(b` would pass as two groups.
  new RegExp(src, 'u');
  return new RegExp(`^(?:${src})$`, 'u');
}

const regex = z.string().superRefine((src, ctx) => {
  try {
    // With the flags FrameClassifier compiles it with: Unicode mode refuses some patterns plain mode takes, such as [\w-.].
    framePattern(src);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
  }
});

/**
 * Badge and code patterns keep the group `value`, else the whole frame. A group under another
 * name, or unnamed, meant "keep this part" to whoever wrote it; read as the whole frame it put the
 * protocol letter in front of every badge ("B0001234"), each one then an unknown badge.
 */
const valuePattern = regex.superRefine((src, ctx) => {
  let match: RegExpExecArray | null;
  try {
    // The empty alternative matches anything, which shows the pattern's groups without a frame.
    match = new RegExp(`(?:${src})|`, 'u').exec('');
  } catch {
    return;
  }
  if (match === null || match.length === 1 || (match.groups !== undefined && 'value' in match.groups)) return;
  ctx.addIssue({ code: 'custom', message: 'has a group but none named "value": write (?<value>...) around the part to keep, or (?:...) for a group that keeps nothing' });
});

const PLACEHOLDERS = ['text', 'name', 'code', 'reason', 'level'];

/** A misspelt placeholder ({reasn}) would show on every display as it is written. */
const template = z.string().superRefine((t, ctx) => {
  for (const [, name] of t.matchAll(/\{([^{}]*)\}/g)) {
    if (!PLACEHOLDERS.includes(name as string)) {
      ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name as string}}; the placeholders are ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` });
    }
  }
});

const inputSchema = z
  .object({
    badge: valuePattern.optional(),
    code: valuePattern.optional(),
    cancel: regex.optional(),
    heartbeat: regex.optional(),
    /** Scanners: text removed from the start / end of every frame before classifying. */
    stripPrefix: z.string().optional(),
    stripSuffix: z.string().optional(),
    /** Scanners: frames start with an AIM symbology identifier (`]` + 2 characters) to drop. */
    aimSymbologyId: z.boolean().default(false),
    /** Upper-case codes before lookup (normalisation of DESIGN.md). */
    upperCase: z.boolean().default(false),
  })
  .strict()
  .refine((i) => i.badge !== undefined || i.code !== undefined, { message: 'needs at least a "badge" or a "code" pattern' });

const outputSchema = z
  .object({
    prompt: template,
    accept: template,
    reject: template,
    idle: template,
    displayWidth: z.number().int().min(1).max(200).default(20),
    displayLines: z.number().int().min(1).max(16).default(1),
    charset: z.enum(['ascii', 'latin1', 'utf8']).default('ascii'),
  })
  .strict();

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  description: z.string(),
  encoding: z.enum(['ascii', 'latin1', 'utf8']).default('ascii'),
  delimiter: z.string().min(1).default('\r\n'),
  maxFrameLength: z.number().int().min(1).max(65536).default(256),
  input: inputSchema,
  output: outputSchema.optional(),
};

const serialSchema = z
  .object({
    ...common,
    transport: z.literal('serial'),
    baudRate: z.number().int().positive().default(9600),
    dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
    parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
    stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
    rtscts: z.boolean().default(false),
  })
  .strict();

const tcpSchema = z.object({ ...common, transport: z.literal('tcp') }).strict();

const hidSchema = z
  .object({
    ...common,
    transport: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
    usagePage: z.number().int().min(0).max(0xffff).optional(),
    mode: z.enum(['keyboard-wedge', 'hid-pos']),
    keymap: z.enum(['us', 'be-azerty']).optional(),
  })
  .strict()
  .refine((p) => p.mode !== 'keyboard-wedge' || p.keymap !== undefined, { message: 'a keyboard-wedge profile needs a "keymap"', path: ['keymap'] });

/** Each charset holds the one before it: a display charset is only as good as the bytes the line carries. */
const CHARSET_WIDTH = { ascii: 0, latin1: 1, utf8: 2 } as const;

export const profileSchema = z.discriminatedUnion('transport', [serialSchema, tcpSchema, hidSchema]).superRefine((p, ctx) => {
  if (p.output !== undefined && CHARSET_WIDTH[p.output.charset] > CHARSET_WIDTH[p.encoding]) {
    ctx.addIssue({
      code: 'custom',
      path: ['output', 'charset'],
      message: `the display charset "${p.output.charset}" does not fit the line's encoding "${p.encoding}": replies would reach the terminal as other bytes; use "${p.encoding}"`,
    });
  }
});

export type DeviceProfile = z.infer<typeof profileSchema>;
export type SerialProfile = z.infer<typeof serialSchema>;
export type HidProfile = z.infer<typeof hidSchema>;
export type ProfileInput = DeviceProfile['input'];
export type ProfileOutput = z.infer<typeof outputSchema>;
