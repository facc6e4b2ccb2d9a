/** The interface's two languages. Keys are looked up by data-i18n* attributes in index.html and by t() in code. */
export type Language = 'zh' | 'en';

const zh = {
  title: 'VoxCPM 语音合成',
  language: '语言',
  server: '服务',
  model: '模型',
  hub: '实时连接',
  live: '在线',
  unreachable: '无法连接',
  connected: '已连接',
  disconnected: '未连接',
  checking: '检查中…',
  text: '合成文本',
  textPlaceholder: '输入要合成的文本（Ctrl+Enter 开始合成，Esc 取消）',
  parameters: '参数',
  mode: '模式',
  streaming: '流式',
  nonStreaming: '非流式',
  cfgValue: 'CFG 引导强度',
  inferenceTimesteps: '推理步数',
  normalize: '文本规范化',
  liveTyping: '实时（边输入边朗读）',
  denoise: '参考音频降噪',
  retryBadcase: '异常结果重试',
  seed: '随机种子',
  seedPlaceholder: '留空为随机',
  promptWavUrl: '参考音频 URL（声音克隆）',
  promptText: '参考音频对应文本',
  voice: '音色',
  voxCpm2: 'VoxCPM2：音色设计与参考音频',
  voxCpm2Pending: '模型加载后可用',
  needsVoxCpm2: '需要 VoxCPM2 模型：当前模型 {model} 不支持音色描述和参考音频',
  voiceDescription: '音色描述（音色设计）',
  voiceDescriptionPlaceholder: '例如：温暖、语速较慢的老年男声',
  referenceWavUrl: '参考音频 URL（无需文本）',
  atMostCharacters: '最多 {count} 字',
  defaultVoice: '默认音色',
  synthesize: '开始合成',
  cancel: '取消',
  dismiss: '关闭',
  player: '播放',
  state: '状态',
  ttfa: '首音延迟',
  rtf: '实时率 RTF',
  chunks: '音频块',
  wireFormat: '传输格式',
  played: '已播放',
  underruns: '卡顿',
  jitterTarget: '缓冲目标',
  stateIdle: '空闲',
  stateConnecting: '连接中…',
  stateQueued: '排队中（第 {position} 位）',
  stateStarted: '生成中…',
  stateStreaming: '流式播放中…',
  stateJob: '后台任务 {jobId}',
  stateFetching: '下载音频…',
  stateComplete: '完成',
  stateCancelled: '已取消',
  stateFailed: '失败',
  voices: '已保存音色',
  voiceName: '名称',
  transcript: '参考音频文本',
  referenceWav: '参考音频（WAV、MP3、FLAC、OGG、M4A）',
  saveVoice: '上传并保存音色',
  use: '使用',
  delete: '删除',
  noVoices: '暂无保存的音色',
  voiceSaved: '音色已保存',
  history: '历史记录',
  search: '搜索',
  searchPlaceholder: '按文本搜索',
  play: '播放',
  download: '下载 WAV',
  rerun: '重新合成',
  previous: '上一页',
  next: '下一页',
  page: '第 {page} / {pages} 页，共 {total} 条',
  noHistory: '暂无历史记录',
  seconds: '{value} 秒',
  confirmDelete: '确定删除吗？',
  needVoiceFields: '请填写名称、参考文本并选择音频文件',
  needVoiceNameAndFile: '请填写名称并选择音频文件',
  transcriptRequired: '录音中说的话（必填）',
  transcriptOptional: '可留空：仅作参考音频（VoxCPM2 可控克隆）',
  referenceOnlyVoice: '仅参考音频（无文本）',
  textPlan: '朗读计划',
  spokenAs: '实际朗读',
  segmentOne: '{count} 段',
  segmentMany: '{count} 段',
  characterOne: '{count} 字',
  characterMany: '{count} 字',
  warningOne: '{count} 条提示',
  warningMany: '{count} 条提示',
};

const en: Record<keyof typeof zh, string> = {
  title: 'VoxCPM text to speech',
  language: 'Language',
  server: 'Server',
  model: 'Model',
  hub: 'Live connection',
  live: 'live',
  unreachable: 'unreachable',
  connected: 'connected',
  disconnected: 'disconnected',
  checking: 'checking…',
  text: 'Text',
  textPlaceholder: 'Text to synthesize (Ctrl+Enter to synthesize, Esc to cancel)',
  parameters: 'Parameters',
  mode: 'Mode',
  streaming: 'Streaming',
  nonStreaming: 'Non-streaming',
  cfgValue: 'CFG value',
  inferenceTimesteps: 'Inference timesteps',
  normalize: 'Normalize text',
  liveTyping: 'Live (speak while typing)',
  denoise: 'Denoise reference audio',
  retryBadcase: 'Retry bad cases',
  seed: 'Seed',
  seedPlaceholder: 'empty = random',
  promptWavUrl: 'Reference audio URL (voice cloning)',
  promptText: 'Transcript of the reference audio',
  voice: 'Voice',
  voxCpm2: 'VoxCPM2: voice design and reference audio',
  voxCpm2Pending: 'available once the model is loaded',
  needsVoxCpm2: 'Needs a VoxCPM2 model: the loaded model {model} does not read a voice description or reference audio',
  voiceDescription: 'Voice description (voice design)',
  voiceDescriptionPlaceholder: 'e.g. a warm, slow elderly male voice',
  referenceWavUrl: 'Reference audio URL (no transcript needed)',
  atMostCharacters: 'at most {count} characters',
  defaultVoice: 'Default voice',
  synthesize: 'Synthesize',
  cancel: 'Cancel',
  dismiss: 'Dismiss',
  player: 'Playback',
  state: 'State',
  ttfa: 'Time to first audio',
  rtf: 'Real-time factor',
  chunks: 'Chunks',
  wireFormat: 'Wire format',
  played: 'Played',
  underruns: 'Underruns',
  jitterTarget: 'Buffer target',
  stateIdle: 'idle',
  stateConnecting: 'connecting…',
  stateQueued: 'queued (position {position})',
  stateStarted: 'generating…',
  stateStreaming: 'streaming…',
  stateJob: 'background job {jobId}',
  stateFetching: 'downloading audio…',
  stateComplete: 'complete',
  stateCancelled: 'cancelled',
  stateFailed: 'failed',
  voices: 'Saved voices',
  voiceName: 'Name',
  transcript: 'Transcript of the reference audio',
  referenceWav: 'Reference audio (WAV, MP3, FLAC, OGG, M4A)',
  saveVoice: 'Upload and save voice',
  use: 'Use',
  delete: 'Delete',
  noVoices: 'No saved voices yet',
  voiceSaved: 'Voice saved',
  history: 'History',
  search: 'Search',
  searchPlaceholder: 'Search by text',
  play: 'Play',
  download: 'Download WAV',
  rerun: 'Re-run',
  previous: 'Previous',
  next: 'Next',
  page: 'page {page} of {pages}, {total} in all',
  noHistory: 'No history yet',
  seconds: '{value} s',
  confirmDelete: 'Delete it?',
  needVoiceFields: 'Give a name, the transcript and an audio file',
  needVoiceNameAndFile: 'Give a name and an audio file',
  transcriptRequired: 'the words spoken in the recording (required)',
  transcriptOptional: 'may be empty: reference audio alone (VoxCPM2 controllable cloning)',
  referenceOnlyVoice: 'reference audio only (no transcript)',
  textPlan: 'Reading plan',
  spokenAs: 'Spoken as',
  segmentOne: '{count} segment',
  segmentMany: '{count} segments',
  characterOne: '{count} character',
  characterMany: '{count} characters',
  warningOne: '{count} warning',
  warningMany: '{count} warnings',
};

export type MessageKey = keyof typeof zh;

export const dictionaries: Record<Language, Record<MessageKey, string>> = { zh, en };

const storageKey = 'voxcpm.language';
let current: Language = 'zh';

export function language(): Language {
  return current;
}

export function isMessageKey(key: string): key is MessageKey {
  return key in zh;
}

/** A message in the current language, with {name} placeholders filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return dictionaries[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** The stored choice, else Chinese (the seed's interface language). */
export function initialLanguage(storage: Pick<Storage, 'getItem'> | null): Language {
  const stored = storage?.getItem(storageKey);
  return stored === 'en' || stored === 'zh' ? stored : 'zh';
}

/** Switches the language and rewrites every element marked with data-i18n, -placeholder, -title or -label. */
export function setLanguage(next: Language, root: ParentNode = document): void {
  current = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  const apply = (attribute: string, set: (element: HTMLElement, text: string) => void) => {
    for (const element of root.querySelectorAll<HTMLElement>(`[${attribute}]`)) {
      const key = element.getAttribute(attribute) ?? '';
      if (isMessageKey(key)) {
        set(element, t(key));
      }
    }
  };
  apply('data-i18n', (element, text) => (element.textContent = text));
  apply('data-i18n-placeholder', (element, text) => element.setAttribute('placeholder', text));
  apply('data-i18n-title', (element, text) => element.setAttribute('title', text));
  apply('data-i18n-label', (element, text) => element.setAttribute('aria-label', text));
}
