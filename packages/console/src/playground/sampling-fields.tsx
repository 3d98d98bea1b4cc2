/** The sampling settings a text-generation playground offers: max tokens and temperature. */
export function SamplingFields({
  idPrefix,
  maxTokens,
  setMaxTokens,
  temperature,
  setTemperature,
}: {
  /** Makes the inputs' ids unique on the page (`chat`, `completion`). */
  idPrefix: string;
  maxTokens: number;
  setMaxTokens: (n: number) => void;
  temperature: number;
  setTemperature: (n: number) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-max-tokens`}>Max tokens</label>
        <input
          id={`${idPrefix}-max-tokens`}
          type="number"
          min={1}
          max={4096}
          value={maxTokens}
          onChange={(e) => setMaxTokens(Number(e.target.value))}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-temperature`}>Temperature</label>
        <input
          id={`${idPrefix}-temperature`}
          type="number"
          min={0}
          max={2}
          step={0.1}
          value={temperature}
          onChange={(e) => setTemperature(Number(e.target.value))}
        />
      </div>
    </>
  );
}
