import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildOnnxModel, type NodeSpec } from '../../src/formats/index.js';
import { mulberry32 } from '../../src/training/index.js';

/**
 * A tiny BERT-layout model folder for transformers.js: a real WordPiece `tokenizer.json`, a
 * `config.json` with `model_type: bert`, and an ONNX graph taking BERT's three INT64 inputs.
 * The embedding's first dimension carries sentiment, so the classifier's answers mean something.
 */
export const HIDDEN = 8;
export const LABELS = ['NEGATIVE', 'POSITIVE'] as const;
export const MAX_TOKENS = 32;

const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const positive = ['good', 'great', 'love', 'fun', 'wonderful'];
const negative = ['bad', 'awful', 'hate', 'boring', 'terrible'];
const neutral = [
  'i',
  'the',
  'this',
  'movie',
  'film',
  'was',
  'is',
  'a',
  'it',
  'not',
  'very',
  'and',
  'ready',
  'book',
];
const pieces = ['##s', '##ing', '##ed', '##ly', '.', ',', '!', '?'];
export const vocab = [...specials, ...positive, ...negative, ...neutral, ...pieces];

/** The embedding table, [vocab, HIDDEN]: dimension 0 is +1 for positive words, -1 for negative ones. */
export function embeddingTable(): Float32Array {
  const random = mulberry32(7);
  const table = new Float32Array(vocab.length * HIDDEN);
  vocab.forEach((word, id) => {
    for (let d = 1; d < HIDDEN; d++) table[id * HIDDEN + d] = (random() - 0.5) * 0.2;
    table[id * HIDDEN] = positive.includes(word) ? 1 : negative.includes(word) ? -1 : 0;
  });
  return table;
}

/** Token-type embeddings, [2, HIDDEN]: small, so the test can check they were added. */
export function typeTable(): Float32Array {
  return Float32Array.from({ length: 2 * HIDDEN }, (_, i) => (i < HIDDEN ? 0.01 * (i + 1) : -0.01));
}

function tokenizerJson(): object {
  const special = (content: string, id: number) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const ids = Object.fromEntries(vocab.map((w, i) => [w, i]));
  const token = (name: string) => ({ id: name, ids: [ids[name]], tokens: [name] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': token('[CLS]'), '[SEP]': token('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

const tokenizerConfig = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  model_max_length: MAX_TOKENS,
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
};

function modelConfig(kind: 'classifier' | 'encoder', problemType?: string): object {
  return {
    model_type: 'bert',
    architectures: [kind === 'classifier' ? 'BertForSequenceClassification' : 'BertModel'],
    hidden_size: HIDDEN,
    num_attention_heads: 1,
    num_hidden_layers: 1,
    vocab_size: vocab.length,
    max_position_embeddings: 64,
    type_vocab_size: 2,
    pad_token_id: 0,
    ...(kind === 'classifier'
      ? {
          id2label: Object.fromEntries(LABELS.map((l, i) => [String(i), l])),
          label2id: Object.fromEntries(LABELS.map((l, i) => [l, i])),
          ...(problemType ? { problem_type: problemType } : {}),
        }
      : {}),
  };
}

const int64Input = (name: string) => ({ name, elemType: 'INT64' as const, shape: ['batch', 'sequence'] });

/** hidden = E[input_ids] + T[token_type_ids], [batch, sequence, HIDDEN]. */
const embedNodes: NodeSpec[] = [
  { opType: 'Gather', inputs: ['word_embeddings', 'input_ids'], outputs: ['words'] },
  { opType: 'Gather', inputs: ['type_embeddings', 'token_type_ids'], outputs: ['types'] },
];

/** logits = (masked mean of hidden) · W + b: W turns dimension 0 (sentiment) into the two classes. */
function classifierNodes(): NodeSpec[] {
  return [
    ...embedNodes,
    { opType: 'Add', inputs: ['words', 'types'], outputs: ['hidden'] },
    { opType: 'Cast', inputs: ['attention_mask'], outputs: ['mask'], attributes: { to: 1 } },
    { opType: 'Unsqueeze', inputs: ['mask', 'axis_2'], outputs: ['mask3'] },
    { opType: 'Mul', inputs: ['hidden', 'mask3'], outputs: ['masked'] },
    { opType: 'ReduceSum', inputs: ['masked', 'axis_1'], outputs: ['summed'], attributes: { keepdims: 0 } },
    { opType: 'ReduceSum', inputs: ['mask3', 'axis_1'], outputs: ['count'], attributes: { keepdims: 0 } },
    { opType: 'Div', inputs: ['summed', 'count'], outputs: ['pooled'] },
    { opType: 'MatMul', inputs: ['pooled', 'classifier_weight'], outputs: ['scaled'] },
    { opType: 'Add', inputs: ['scaled', 'classifier_bias'], outputs: ['logits'] },
  ];
}

function graph(kind: 'classifier' | 'encoder'): Uint8Array {
  const weight = new Float32Array(HIDDEN * 2);
  weight[0] = -4;
  weight[1] = 4;
  return buildOnnxModel({
    inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map(int64Input),
    outputs:
      kind === 'classifier'
        ? [{ name: 'logits', elemType: 'FP32', shape: ['batch', 2] }]
        : [{ name: 'last_hidden_state', elemType: 'FP32', shape: ['batch', 'sequence', HIDDEN] }],
    initializers: [
      { name: 'word_embeddings', elemType: 'FP32', dims: [vocab.length, HIDDEN], data: embeddingTable() },
      { name: 'type_embeddings', elemType: 'FP32', dims: [2, HIDDEN], data: typeTable() },
      ...(kind === 'classifier'
        ? [
            { name: 'axis_1', elemType: 'INT64' as const, dims: [1], data: new BigInt64Array([1n]) },
            { name: 'axis_2', elemType: 'INT64' as const, dims: [1], data: new BigInt64Array([2n]) },
            { name: 'classifier_weight', elemType: 'FP32' as const, dims: [HIDDEN, 2], data: weight },
            {
              name: 'classifier_bias',
              elemType: 'FP32' as const,
              dims: [2],
              data: new Float32Array([0, 0.1]),
            },
          ]
        : []),
    ],
    nodes:
      kind === 'classifier'
        ? classifierNodes()
        : [...embedNodes, { opType: 'Add', inputs: ['words', 'types'], outputs: ['last_hidden_state'] }],
  });
}

export interface TinyBertFolders {
  classifier: string;
  multiLabel: string;
  encoder: string;
  cleanup(): Promise<void>;
}

async function writeFolder(
  folder: string,
  kind: 'classifier' | 'encoder',
  problemType?: string,
): Promise<void> {
  await mkdir(path.join(folder, 'onnx'), { recursive: true });
  await writeFile(path.join(folder, 'config.json'), JSON.stringify(modelConfig(kind, problemType)));
  await writeFile(path.join(folder, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  await writeFile(path.join(folder, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  await writeFile(path.join(folder, 'onnx', 'model.onnx'), graph(kind));
}

/** Three model folders under a fresh temporary directory: classifier, multi-label classifier, encoder. */
export async function writeTinyBert(): Promise<TinyBertFolders> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-tiny-bert-'));
  const folders = {
    classifier: path.join(dir, 'classifier'),
    multiLabel: path.join(dir, 'multi-label'),
    encoder: path.join(dir, 'encoder'),
  };
  await writeFolder(folders.classifier, 'classifier');
  await writeFolder(folders.multiLabel, 'classifier', 'multi_label_classification');
  await writeFolder(folders.encoder, 'encoder');
  return { ...folders, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
