// Keep the triage queue's "minutes left" current without reloading. The server already rendered the
// same words, so the page is complete without JavaScript; this only updates them every 30 seconds.
export function initCountdowns (root = document) {
  const items = root.querySelectorAll('.app-countdown[data-due]')
  if (!items.length) return

  function render () {
    const now = Date.now()
    items.forEach((item) => {
      const minutes = Math.floor((Date.parse(item.dataset.due) - now) / 60000)
      item.textContent = minutes >= 0 ? `${minutes} min left` : `by ${-minutes} min`
    })
  }

  render()
  setInterval(render, 30000)
}
