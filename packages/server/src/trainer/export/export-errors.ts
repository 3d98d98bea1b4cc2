import { AppError } from '../../platform/errors/index.js';

/**
 * What the exporter refuses is the caller's choice of model or options (a 400 should it reach a
 * request); the trainer can check `EXPORTABLE_LAYERS` before it trains at all.
 */
export function unsupportedModel(what: string): AppError {
  return new AppError('validation_failed', `Cannot export ${what} to ONNX.`);
}

export function unsupportedLayer(
  layer: { name: string; className: string },
  index: number,
  why: string,
): AppError {
  return new AppError(
    'validation_failed',
    `Cannot export layer ${index} '${layer.name}' (${layer.className}) to ONNX: ${why}.`,
    { param: `layers[${index}]`, details: { layer: layer.name, className: layer.className } },
  );
}

export function badExportOption(param: string, message: string): AppError {
  return new AppError('validation_failed', `Export option ${param}: ${message}.`, { param });
}
