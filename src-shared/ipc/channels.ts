// Channel and event names of the IPC contract. Pure data (no zod): the sandboxed preload bundles it.
export const CHANNELS = [
  'app.info',
  'app.openExternal',
  'app.log',
  'settings.get',
  'settings.set',
  'dialog.open',
  'dialog.save',
  'runs.list',
  'runs.get',
  'runs.compare',
  'runs.log',
  'runs.artifact',
  'runs.trends',
  'runs.import',
  'campaigns.list',
  'campaigns.get',
  'campaigns.save',
  'campaigns.delete',
  'campaigns.validate',
  'campaigns.demo',
  'campaigns.toYaml',
  'hosts.test',
  'hosts.answerKey',
  'hosts.answerPassphrase',
  'live.start',
  'live.cancel',
  'live.active',
  'annotations.history',
  'annotations.save',
  'annotations.draft',
  'export.run',
  'cloud.settings',
  'cloud.setToken',
  'cloud.leftovers',
  'cloud.destroy',
  'cloud.costs',
  'soak.list',
  'soak.report',
  'soak.start',
  'soak.stop',
  'soak.status',
  'release.write',
] as const

export const EVENTS = ['run.progress', 'hostkey.prompt', 'secret.prompt', 'runs.changed', 'cloud.leftovers', 'soak.event'] as const

/** Sent by the renderer once it listens: main queues push events until then. */
export const RENDERER_READY = 'app.renderer-ready'

export type Channel = (typeof CHANNELS)[number]
export type EventName = (typeof EVENTS)[number]
