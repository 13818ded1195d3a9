// Switching language reloads the page in the new language. Without this, anything chosen or typed on the page
// and not yet sent is lost. When a language button is pressed, the answers in the page's own forms are kept in
// this tab's sessionStorage; the next page drawn puts them back if it is the same page, and forgets them either
// way, so they live for one page load at most. Passwords, files and hidden fields are never kept.
const KEY = 'portal-unsent-answers'

function keptFields (form) {
  return Array.from(form.elements).filter(field =>
    field.name && field.name !== 'csrf_token' && !field.disabled &&
    !['password', 'file', 'hidden', 'submit', 'button'].includes(field.type))
}

function collect () {
  const forms = Array.from(document.querySelectorAll('main form'))
  return forms.map(form => keptFields(form).map(field => {
    if (field.type === 'radio' || field.type === 'checkbox') return [field.name, field.value, field.checked]
    return [field.name, null, field.value]
  }))
}

function restore (saved) {
  const forms = Array.from(document.querySelectorAll('main form'))
  saved.forEach((fields, index) => {
    const form = forms[index]
    if (!form) return
    const byName = keptFields(form)
    fields.forEach(([name, value, kept]) => {
      byName.filter(field => field.name === name).forEach(field => {
        if (field.type === 'radio' || field.type === 'checkbox') {
          if (field.value === value) field.checked = kept
        } else if (value === null && !field.value) {
          field.value = kept
        }
      })
    })
    // Conditional questions (GOV.UK radios and checkboxes) show or hide with the choices just put back.
    form.querySelectorAll('input[type=radio], input[type=checkbox]').forEach(input =>
      input.dispatchEvent(new Event('change', { bubbles: true })))
  })
}

export function initKeepAnswers () {
  let saved = null
  try {
    saved = JSON.parse(window.sessionStorage.getItem(KEY) || 'null')
    window.sessionStorage.removeItem(KEY)
  } catch (error) {
    return // storage turned off: switching language works as before
  }
  if (saved && saved.path === window.location.pathname) restore(saved.forms)

  document.querySelectorAll('form.app-language-form').forEach(form =>
    form.addEventListener('submit', () => {
      try {
        window.sessionStorage.setItem(KEY, JSON.stringify({ path: window.location.pathname, forms: collect() }))
      } catch (error) {
        // nothing kept: the page changes language all the same
      }
    }))
}
