// SPDX-License-Identifier: Apache-2.0
// Prints what Node dotenv parses from a file, as JSON. Usage: node parse.js DOTENV_PACKAGE_DIR FILE
'use strict'
const fs = require('fs')
const dotenv = require(process.argv[2])
process.stdout.write(JSON.stringify(dotenv.parse(fs.readFileSync(process.argv[3]))))
