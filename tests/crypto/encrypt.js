// Encrypts an .xlsx with the npm package officecrypto-tool (an independent
// writer, not sechk): node encrypt.js IN OUT PASSWORD [agile|standard]
// The password is read from the environment variable SECHK_TEST_PASSWORD
// when PASSWORD is "-".
'use strict';
const fs = require('fs');
const path = require('path');
const modDir = process.env.OFFICECRYPTO_DIR;
const officeCrypto = require(modDir ? path.resolve(modDir) : 'officecrypto-tool');
const [, , input, output, pw, kind] = process.argv;
const password = pw === '-' ? process.env.SECHK_TEST_PASSWORD : pw;
const opts = { password };
if (kind === 'standard') opts.type = 'standard';
const out = officeCrypto.encrypt(fs.readFileSync(input), opts);
fs.writeFileSync(output, out);
