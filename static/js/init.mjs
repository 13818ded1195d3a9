// Start GOV.UK Frontend and MoJ Frontend components (sortable tables), then the portal's own small behaviours.
import { initAll } from '../govuk-frontend.min.js'
import { initAll as initMojAll } from '../moj-frontend.min.js'
import { initTimeoutWarning } from './timeout-warning.mjs'
import { initCountdowns } from './countdown.mjs'
import { initKeepAnswers } from './keep-answers.mjs'

initAll()
initMojAll()
initTimeoutWarning(document.getElementById('session-timeout-dialog'))
initCountdowns()
initKeepAnswers()
