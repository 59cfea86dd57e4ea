/** What an address the dashboard does not have shows (a mistyped or outdated link), with the way back. */
export function NotFoundScreen () {
  // The hash as typed, decoded for reading; it is shown as text, never as markup.
  const address = window.location.hash === '' ? '#/' : window.location.hash
  return (
    <section className='card' aria-labelledby='not-found-title'>
      <header className='card-header'>
        <h2 id='not-found-title'>Nothing here</h2>
      </header>
      <p>There is no page at <span className='mono break-anywhere'>{address}</span>.</p>
      <p><a href='#/overview'>Go to the Overview</a> or pick a screen from the menu.</p>
    </section>
  )
}
