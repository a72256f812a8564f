// Narrative prose: paragraphs, with drafted citations (`[cite: …]`) set apart as what a sentence rests on.
export function Prose({ text }: { text: string }) {
  if (!text.trim()) return <p className="muted">—</p>
  return (
    <>
      {text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>
          {para.split(/(\[cite: [^\]]*\])/).map((part, k) =>
            part.startsWith('[cite: ') ? (
              <span key={k} className="cite" title="what this sentence rests on">
                [{part.slice(7, -1)}]
              </span>
            ) : (
              part
            ),
          )}
        </p>
      ))}
    </>
  )
}
