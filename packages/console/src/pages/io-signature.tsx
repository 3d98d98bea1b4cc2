import type { ModelVersion } from '../api/types.js';

type Tensor = { name: string; datatype: string; shape: number[] };

function tensorText(t: Tensor): string {
  return `${t.name}: ${t.datatype}[${t.shape.map((d) => (d < 0 ? '?' : d)).join(', ')}]`;
}

function Tensors({ label, tensors }: { label: string; tensors: Tensor[] }) {
  return (
    <div>
      <span className="muted">{label}</span>{' '}
      {tensors.map((t) => (
        <code key={t.name} className="mono" style={{ display: 'block' }}>
          {tensorText(t)}
        </code>
      ))}
    </div>
  );
}

/** What a version takes and gives, from the metadata the server read from the artifact. */
export function IoSignature({ version }: { version: ModelVersion }) {
  const { onnx, gguf, folder } = version.metadata;
  if (onnx) {
    return (
      <>
        <Tensors label="in" tensors={onnx.inputs} />
        <Tensors label="out" tensors={onnx.outputs} />
      </>
    );
  }
  if (gguf) {
    const parts = [
      gguf.architecture,
      `${(gguf.parameterCount / 1e6).toFixed(2)}M params`,
      gguf.contextLength ? `context ${gguf.contextLength}` : null,
      gguf.quantization,
      gguf.hasChatTemplate ? 'chat template' : 'no chat template',
    ];
    return <span>text → text ({parts.filter(Boolean).join(', ')})</span>;
  }
  if (folder) {
    return (
      <span>
        {folder.modelType ?? 'folder'}, {folder.files.length} files
        {Object.keys(folder.onnx).length > 0 ? `, ONNX: ${Object.keys(folder.onnx).join(', ')}` : ''}
      </span>
    );
  }
  return <span className="muted">—</span>;
}
