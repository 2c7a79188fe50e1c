export function StartupErrorPage({ message, dataDir }: { message: string; dataDir: string | null }) {
  return (
    <div className="startup-error" role="alert">
      <h1>Lanyard cannot open its data</h1>
      <p className="error-text" data-testid="startup-error">
        {message}
      </p>
      {dataDir && (
        <p>
          Data folder: <code>{dataDir}</code>
        </p>
      )}
      <p>Nothing was changed or deleted. Fix the problem above and start Lanyard again.</p>
    </div>
  );
}
