// Start GOV.UK Frontend components, then the portal's own small behaviours.
import { initAll } from '../govuk-frontend.min.js'
import { initTimeoutWarning } from './timeout-warning.mjs'
import { initCountdowns } from './countdown.mjs'
import { initKeepAnswers } from './keep-answers.mjs'

initAll()
initTimeoutWarning(document.getElementById('session-timeout-dialog'))
initCountdowns()
initKeepAnswers()
