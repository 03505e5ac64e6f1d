using System.Runtime.InteropServices;
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

/// <summary>
/// A checkpoint in a file, replaced atomically: written to a temporary file beside it (a name of its own per
/// write, so that two writers never share one), flushed to disk, renamed over it, and then, where the OS
/// allows (Linux, macOS, FreeBSD), the directory is flushed too so that the rename itself survives a power
/// loss. On Windows the rename is <c>MoveFileEx</c> with replace, and there is no directory to flush.
/// </summary>
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

    /// <summary>How old a left-over temporary file must be before a load removes it.</summary>
    internal static TimeSpan StaleTemporaryAge { get; } = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public async Task<string?> LoadAsync(CancellationToken cancellationToken)
    {
        SweepStaleTemporaries();
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

        var temp = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var bytes = Encoding.UTF8.GetBytes(checkpoint);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            // rename(2) replaces the target atomically on POSIX; MoveFileEx(REPLACE_EXISTING) on Windows.
            File.Move(temp, Path, overwrite: true);
        }
        catch
        {
            TryDelete(temp); // the write's own failure is the one to report
            throw;
        }

        DirectoryFlush.TryFlush(string.IsNullOrEmpty(directory) ? "." : directory);
    }

    /// <inheritdoc />
    public override string ToString() => "FileCheckpointStore(" + Path + ")";

    /// <summary>
    /// Removes temporary files a crashed save left behind (each save writes its own). Only old ones:
    /// a younger one may belong to a save in flight.
    /// </summary>
    private void SweepStaleTemporaries()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return;
        }

        var cutoff = DateTime.UtcNow - StaleTemporaryAge;
        foreach (var file in Directory.EnumerateFiles(directory, System.IO.Path.GetFileName(Path) + ".*.tmp"))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                TryDelete(file);
            }
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
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

/// <summary>Flushes a directory's entries (a rename) to disk: open(2) the directory, fsync(2), close(2).</summary>
internal static class DirectoryFlush
{
    private const int ReadOnly = 0; // O_RDONLY on Linux, macOS and the BSDs

    /// <summary>Flushes the directory; false where the OS has no such thing or the call failed (best effort).</summary>
    /// <param name="directory">The directory.</param>
    /// <returns>Whether the directory was flushed.</returns>
    public static bool TryFlush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return false;
        }

        try
        {
            var fd = NativeMethods.Open(Encoding.UTF8.GetBytes(directory + "\0"), ReadOnly);
            if (fd < 0)
            {
                return false;
            }

            try
            {
                return NativeMethods.FSync(fd) == 0;
            }
            finally
            {
                _ = NativeMethods.Close(fd);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int FSync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
