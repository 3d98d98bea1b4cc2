#!/usr/bin/env node
// Committed entry so npm links `modelport` at install time, before the first build.
import '../dist/bin.js';
