using System.Text;

namespace EventsBindings.Runtime.Export;

/// <summary>
/// Keeps an export's checkpoint. <see cref="SaveAsync"/> must be atomic: after a crash at any moment,
/// <see cref="LoadAsync"/> returns either the previous or the new checkpoint, never a mix.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>Reads the checkpoint.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint text, or null when none was saved.</returns>
    Task<string?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the checkpoint atomically and durably.</summary>
    /// <param name="checkpoint">The checkpoint text.</param>
    /// <param name="cancellationToken">Cancels the write (the old checkpoint then stays).</param>
    /// <returns>A task that completes once the checkpoint is durable.</returns>
    Task SaveAsync(string checkpoint, CancellationToken cancellationToken);
}

/// <summary>A checkpoint in a file, replaced atomically: written to a temporary file beside it, flushed to disk, then renamed over it.</summary>
public sealed class FileCheckpointStore : ICheckpointStore
{
    /// <summary>Creates a store.</summary>
    /// <param name="path">The checkpoint file; its directory is created when missing.</param>
    public FileCheckpointStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public async Task<string?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var text = await File.ReadAllTextAsync(Path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        return text.Length == 0 ? null : text;
    }

    /// <inheritdoc />
    public async Task SaveAsync(string checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temp = Path + ".tmp";
        var bytes = Encoding.UTF8.GetBytes(checkpoint);
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        // rename(2) replaces the target atomically on POSIX; MoveFileEx(REPLACE_EXISTING) on Windows.
        File.Move(temp, Path, overwrite: true);
    }

    /// <inheritdoc />
    public override string ToString() => "FileCheckpointStore(" + Path + ")";
}

/// <summary>A checkpoint kept in memory (tests, short-lived processes).</summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private volatile string? _value;

    /// <summary>Creates a store, optionally holding a checkpoint already.</summary>
    /// <param name="initial">The initial checkpoint text.</param>
    public InMemoryCheckpointStore(string? initial = null) => _value = initial;

    /// <summary>The current checkpoint text.</summary>
    public string? Value => _value;

    /// <inheritdoc />
    public Task<string?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(_value);

    /// <inheritdoc />
    public Task SaveAsync(string checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        _value = checkpoint;
        return Task.CompletedTask;
    }
}
