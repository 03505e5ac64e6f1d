using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.MockServer.Engine;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Spec;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Contracts;

/// <summary>
/// The mounted APIs: one <see cref="ApiRuntime"/> per contract, from the embedded contracts or a
/// directory. With a directory, files are watched: a changed contract is re-read and re-mounted;
/// a broken one keeps the last good version and its diagnostics are logged.
/// </summary>
internal sealed class ContractRegistry : IDisposable
{
    private const string ResourcePrefix = "contracts/";
    private readonly MockServerOptions _options;
    private readonly Action<string> _log;
    private readonly object _lock = new();
    private readonly Dictionary<string, (string Text, ApiRuntime? Runtime, IReadOnlyList<SpecDiagnostic> Diagnostics)> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _data;
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;
    private volatile ApiRuntime[] _apis = Array.Empty<ApiRuntime>();

    public ContractRegistry(MockServerOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
        _data = LoadData(options.DataFiles);
    }

    /// <summary>The mounted APIs.</summary>
    public IReadOnlyList<ApiRuntime> Apis => _apis;

    /// <summary>Raised after a reload changed what is mounted.</summary>
    public event Action? Reloaded;

    /// <summary>Diagnostics of the last read of each contract source.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SpecDiagnostic>> Diagnostics
    {
        get
        {
            lock (_lock)
            {
                return _files.ToDictionary(f => f.Key, f => f.Value.Diagnostics, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Reads every contract and mounts it; throws when none is usable.</summary>
    public void Load()
    {
        lock (_lock)
        {
            foreach (var (name, text) in ReadSources())
            {
                LoadOne(name, text);
            }

            Publish();
        }

        if (_apis.Length == 0)
        {
            throw new InvalidOperationException("No usable contract was found" + (_options.ContractsDirectory is { } d ? $" in {d}." : "."));
        }

        if (_options.ContractsDirectory is { } dir && _options.HotReload)
        {
            _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
            _watcher = new FileSystemWatcher(Path.GetFullPath(dir)) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime };
            FileSystemEventHandler onChange = (_, e) =>
            {
                if (Concerns(e))
                {
                    _debounce.Change(250, Timeout.Infinite);
                }
            };
            _watcher.Changed += onChange;
            _watcher.Created += onChange;
            _watcher.Deleted += onChange;
            _watcher.Renamed += (_, e) => onChange(_watcher, e);
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>Re-reads the contracts directory; called by the watcher (and by tests).</summary>
    public void Reload()
    {
        try
        {
            var changed = false;
            lock (_lock)
            {
                var sources = ReadSources().ToList();
                foreach (var (name, text) in sources)
                {
                    if (!_files.TryGetValue(name, out var current) || current.Text != text)
                    {
                        changed |= LoadOne(name, text);
                    }
                }

                foreach (var gone in _files.Keys.Except(sources.Select(s => s.Name)).ToList())
                {
                    _log($"Contract {gone} was removed; its API is unmounted.");
                    _files.Remove(gone);
                    changed = true;
                }

                if (changed)
                {
                    Publish();
                }
            }

            if (changed)
            {
                Reloaded?.Invoke();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log("Reload failed: " + ex.Message + " (will retry on the next change)");
        }
    }

    /// <summary>Whether a change in the watched directory concerns a contract file: its path, or for a rename its old or new path.</summary>
    internal static bool Concerns(FileSystemEventArgs change) =>
        IsContractFile(change.FullPath) || (change is RenamedEventArgs renamed && IsContractFile(renamed.OldFullPath));

    private static bool IsContractFile(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private IEnumerable<(string Name, string Text)> ReadSources()
    {
        if (_options.ContractsDirectory is { } dir)
        {
            foreach (var file in Directory.EnumerateFiles(dir).Where(IsContractFile).OrderBy(f => f, StringComparer.Ordinal))
            {
                string text;
                try
                {
                    text = File.ReadAllText(file);
                }
                catch (IOException)
                {
                    // Being written: the watcher calls again.
                    continue;
                }

                yield return (Path.GetFullPath(file), text);
            }

            yield break;
        }

        var assembly = typeof(ContractRegistry).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && IsContractFile(n)).OrderBy(n => n, StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return ("embedded:" + name, reader.ReadToEnd());
        }
    }

    /// <summary>Embedded contract texts (for tools that want the same contracts as the server).</summary>
    public static IReadOnlyDictionary<string, string> EmbeddedContracts()
    {
        var assembly = typeof(ContractRegistry).GetTypeInfo().Assembly;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            result[name[ResourcePrefix.Length..]] = reader.ReadToEnd();
        }

        return result;
    }

    private bool LoadOne(string name, string text)
    {
        var result = ContractReader.Parse(text, name);
        _files.TryGetValue(name, out var previous);
        if (result.Contract is not { } contract)
        {
            _log($"Contract {name} has errors; " + (previous.Runtime is null ? "it is not mounted." : "the last good version stays mounted."));
            foreach (var d in result.Diagnostics)
            {
                _log("  " + d);
            }

            _files[name] = (text, previous.Runtime, result.Diagnostics.ToList());
            return false;
        }

        foreach (var d in result.Diagnostics)
        {
            _log("  " + d);
        }

        if (previous.Runtime is { } running && running.Contract == contract)
        {
            _files[name] = (text, running, result.Diagnostics.ToList());
            return false;
        }

        try
        {
            var settings = new ApiSettings(
                _options.Events,
                _options.Seed,
                _options.TimeProvider,
                _data.TryGetValue(contract.Name, out var items) ? items : new List<JsonObject>(),
                _options.Credentials.ToList());
            var runtime = ApiRuntime.Create(contract, name, settings);
            _files[name] = (text, runtime, result.Diagnostics.ToList());
            if (previous.Runtime is not null)
            {
                _log($"Contract {name} reloaded: {contract.Name} at {runtime.Prefix} ({runtime.Store.Count} items).");
            }

            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException or ArgumentException or OverflowException)
        {
            _log($"Contract {name} cannot be served: {ex.Message}");
            _files[name] = (text, previous.Runtime, result.Diagnostics.ToList());
            return false;
        }
    }

    private void Publish()
    {
        var list = new List<ApiRuntime>();
        foreach (var (name, entry) in _files)
        {
            if (entry.Runtime is not { } runtime)
            {
                continue;
            }

            if (list.FirstOrDefault(a => string.Equals(a.Prefix, runtime.Prefix, StringComparison.OrdinalIgnoreCase)) is { } clash)
            {
                _log($"Contract {name} mounts at {runtime.Prefix}, already used by {clash.Contract.Name}; it is not mounted.");
                continue;
            }

            list.Add(runtime);
        }

        // Longest prefix first, so that nested prefixes resolve to the most specific API.
        _apis = list.OrderByDescending(a => a.Prefix.Length).ToArray();
    }

    /// <summary>The API whose prefix the path starts with, and the rest of the path.</summary>
    public ApiRuntime? Resolve(string path, out string rest)
    {
        foreach (var api in _apis)
        {
            if (path.StartsWith(api.Prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == api.Prefix.Length || path[api.Prefix.Length] == '/'))
            {
                rest = path[api.Prefix.Length..];
                return api;
            }
        }

        rest = path;
        return null;
    }

    private static Dictionary<string, List<JsonObject>> LoadData(IEnumerable<string> files)
    {
        var result = new Dictionary<string, List<JsonObject>>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(File.ReadAllText(file));
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"{file}: not valid JSON: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"The data file {file} cannot be read: {ex.Message}", ex);
            }

            if (root is not JsonObject byApi)
            {
                throw new InvalidOperationException($"{file}: expected an object whose keys are API names (as in the contracts' 'name') and whose values are arrays of items.");
            }

            foreach (var (api, value) in byApi)
            {
                var items = value as JsonArray ?? (value as JsonObject)?.Select(kv => kv.Value).OfType<JsonArray>().FirstOrDefault()
                    ?? throw new InvalidOperationException($"{file}: '{api}' must be an array of items.");
                if (!result.TryGetValue(api, out var list))
                {
                    result[api] = list = new List<JsonObject>();
                }

                list.AddRange(items.OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone()));
            }
        }

        return result;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
    }
}
