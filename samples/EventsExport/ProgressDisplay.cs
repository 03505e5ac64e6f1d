using EventsBindings.Runtime.Export;

namespace EventsExport;

/// <summary>A one-line progress display on stderr, rewritten after every page.</summary>
internal sealed class ProgressDisplay(TextWriter output, bool quiet) : IProgress<ExportProgress>
{
    private readonly object _lock = new();
    private bool _shown;
    private long _runDelivered;
    private long _previousRuns;

    /// <summary>Events delivered since the program started (every run of a follow).</summary>
    public long Delivered
    {
        get
        {
            lock (_lock)
            {
                return _previousRuns + _runDelivered;
            }
        }
    }

    public void Report(ExportProgress value)
    {
        lock (_lock)
        {
            if (value.Pages == 1)
            {
                _previousRuns += _runDelivered;
                _runDelivered = 0;
            }

            _runDelivered = value.Delivered;
            if (quiet)
            {
                return;
            }

            output.Write($"\r  pages {value.Pages,6}  events {_previousRuns + value.Delivered,10}  duplicates dropped {value.Duplicates,6}  checkpoint {value.Cursor,-20}");
            output.Flush();
            _shown = true;
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            if (_shown)
            {
                output.WriteLine();
                _shown = false;
            }
        }
    }
}
