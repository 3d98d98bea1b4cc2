export const MODELPORT_VERSION = '0.1.0';
