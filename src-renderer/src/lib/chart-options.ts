// What every chart gets on top of its data option: no animation when the user asked for reduced
// motion (short ones otherwise, so the data reads at once), and text colours that read on the theme.
type Option = Record<string, unknown>

export function withDisplayPrefs(option: Option, prefs: { dark: boolean; reducedMotion: boolean }): Option {
  const text = prefs.dark ? '#e6e8eb' : '#1d1f23'
  return {
    backgroundColor: 'transparent',
    textStyle: { color: text },
    animationDuration: 250,
    animationDurationUpdate: 150,
    ...option,
    ...(prefs.reducedMotion ? { animation: false } : {}),
  }
}
