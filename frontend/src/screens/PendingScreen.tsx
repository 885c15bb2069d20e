// PendingScreen stands in for a screen whose engine part has not landed.
export function PendingScreen({ title, needs }: { title: string; needs: string }) {
  return (
    <section className="screen" data-testid={`screen-${title.toLowerCase().replace(/\s+/g, '-')}`}>
      <h1>{title}</h1>
      <div className="card empty">
        <p>This screen is waiting for {needs}.</p>
        <p className="muted">It appears here as soon as that part of the engine exists.</p>
      </div>
    </section>
  );
}
