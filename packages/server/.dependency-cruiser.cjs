/**
 * The server's layers, lowest first. A folder may import its own layer's and lower layers' folders,
 * never a higher layer's; across folders it imports only an `index.ts` (platform/ and wire/ are
 * toolboxes: their sub-folders have an `index.ts` each). ARCHITECTURE.md draws the same picture.
 */
const layers = [
  ['platform', 'config'],
  ['wire', 'formats'],
  ['runtime', 'trainer'],
  ['engine', 'auth', 'projects', 'audit', 'registry', 'usage', 'observability', 'training', 'datasets'],
  ['deploy', 'inference'],
  ['tasks', 'api'],
  ['app'],
];

const folder = (names) => `^src/(${names.join('|')})/`;

const upward = layers.slice(0, -1).map((names, i) => ({
  name: `no-upward-from-${names.join('-')}`,
  comment: `${names.join(', ')} may not import a higher layer (${layers
    .slice(i + 1)
    .flat()
    .join(', ')}).`,
  severity: 'error',
  from: { path: folder(names) },
  to: { path: folder(layers.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'runtime-only-in-runners',
      comment:
        'Model code runs in runner processes: only runtime/ imports runtime/, so the API process never loads a model.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/runtime/' },
      to: { path: '^src/runtime/' },
    },
    {
      name: 'trainer-only-in-training-workers',
      comment:
        'Training runs in worker processes: only trainer/ imports trainer/, so the API process never loads TensorFlow.js.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/trainer/' },
      to: { path: '^src/trainer/' },
    },
    {
      name: 'across-folders-only-index',
      comment:
        'Another folder is reached through its index.ts (or, in platform/ and wire/, a sub-folder index.ts).',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/',
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/(platform|wire)/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'no-circular',
      comment: 'Cycles make the layers meaningless.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
