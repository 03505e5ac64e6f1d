using EventsBindings.Runtime.Infrastructure;

namespace EventsBindings.Runtime.Export;

/// <summary>An NDJSON export that a registry entry built: run it once, or follow the source.</summary>
public sealed class NdjsonExport
{
    private readonly Func<CancellationToken, Task<ExportResult>> _runOnce;
    private readonly Func<CancellationToken, Task> _follow;

    /// <summary>Creates the handle (generated registries call this).</summary>
    /// <param name="path">The NDJSON file the export appends to.</param>
    /// <param name="runOnce">The export's <c>RunOnceAsync</c>.</param>
    /// <param name="follow">The export's <c>FollowAsync</c>.</param>
    public NdjsonExport(string path, Func<CancellationToken, Task<ExportResult>> runOnce, Func<CancellationToken, Task> follow)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(runOnce);
        ArgumentNullException.ThrowIfNull(follow);
        Path = path;
        _runOnce = runOnce;
        _follow = follow;
    }

    /// <summary>The NDJSON file.</summary>
    public string Path { get; }

    /// <summary>Exports everything new since the stored checkpoint, then returns (see <see cref="CheckpointedExport{T}.RunOnceAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What the run did.</returns>
    public Task<ExportResult> RunOnceAsync(CancellationToken cancellationToken = default) => _runOnce(cancellationToken);

    /// <summary>Runs again and again until cancelled (see <see cref="CheckpointedExport{T}.FollowAsync"/>).</summary>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>A task that ends when cancelled.</returns>
    public Task FollowAsync(CancellationToken cancellationToken = default) => _follow(cancellationToken);
}

/// <summary>How a registry entry builds a client: base URL, credential, and optionally an HTTP client and a hook on the options.</summary>
/// <param name="BaseUrl">The base URL (endpoint paths are appended to it).</param>
/// <param name="Credential">The credential.</param>
/// <param name="HttpClient">The HTTP client to send on, or null for the generated client's shared one.</param>
/// <param name="Configure">Sets options common to every client (auth scheme, retries, timeouts, logging), or null.</param>
public sealed record EventsClientArguments(Uri BaseUrl, EventsCredential Credential, HttpClient? HttpClient = null, Action<EventsClientOptions>? Configure = null);

/// <summary>
/// One contract whose generated client offers a checkpointed export, as the generator lists it in the
/// compilation's registry (the generated <c>EventsContracts.All</c>): tools and tests iterate the registry,
/// so that an API added as a contract needs no C# of its own. Everything here comes from the contract.
/// </summary>
public sealed class ExportableApi
{
    private readonly Func<EventsClientArguments, object> _createClient;
    private readonly Func<object, ICheckpointStore, string, int?, ExportOptions?, NdjsonExport> _createExport;
    private readonly Func<string, string> _idOf;

    /// <summary>Creates an entry (generated registries call this).</summary>
    /// <param name="api">The generated client's descriptor (name, auth schemes, errors).</param>
    /// <param name="endpoint">The contract's name of the exported endpoint.</param>
    /// <param name="clientType">The generated client type.</param>
    /// <param name="defaultPageSize">The sync's page size.</param>
    /// <param name="minPageSize">The page-size parameter's minimum, or null.</param>
    /// <param name="maxPageSize">The page-size parameter's maximum, or null.</param>
    /// <param name="pageSizeParameter">The page-size parameter's wire name, or null when the endpoint has none.</param>
    /// <param name="createClient">Builds the generated client.</param>
    /// <param name="createExport">Builds the export of a client (built by <paramref name="createClient"/>) into an NDJSON file of the server's bytes.</param>
    /// <param name="idOf">The sync's id of an item given as JSON (read by the generated model).</param>
    public ExportableApi(
        ApiDescriptor api,
        string endpoint,
        Type clientType,
        int defaultPageSize,
        long? minPageSize,
        long? maxPageSize,
        string? pageSizeParameter,
        Func<EventsClientArguments, object> createClient,
        Func<object, ICheckpointStore, string, int?, ExportOptions?, NdjsonExport> createExport,
        Func<string, string> idOf)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(clientType);
        ArgumentNullException.ThrowIfNull(createClient);
        ArgumentNullException.ThrowIfNull(createExport);
        ArgumentNullException.ThrowIfNull(idOf);
        Api = api;
        Endpoint = endpoint;
        ClientType = clientType;
        DefaultPageSize = defaultPageSize;
        MinPageSize = minPageSize;
        MaxPageSize = maxPageSize;
        PageSizeParameter = pageSizeParameter;
        _createClient = createClient;
        _createExport = createExport;
        _idOf = idOf;
    }

    /// <summary>The generated client's descriptor: the contract's name and auth schemes.</summary>
    public ApiDescriptor Api { get; }

    /// <summary>The contract's name of the API.</summary>
    public string Name => Api.Name;

    /// <summary>Whether the contract offers a refresh-token scheme (a refresh token is then a credential it takes).</summary>
    public bool HasRefreshToken => Api.Schemes.Any(s => s.Kind == AuthSchemeKind.RefreshToken);

    /// <summary>The contract's name of the exported endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>The generated client type.</summary>
    public Type ClientType { get; }

    /// <summary>The sync's default page size.</summary>
    public int DefaultPageSize { get; }

    /// <summary>The smallest page size the contract allows, or null.</summary>
    public long? MinPageSize { get; }

    /// <summary>The largest page size the contract allows, or null.</summary>
    public long? MaxPageSize { get; }

    /// <summary>The page-size parameter's wire name, or null when the exported endpoint has none.</summary>
    public string? PageSizeParameter { get; }

    /// <summary>Whether a page size is within the contract's bounds.</summary>
    /// <param name="pageSize">The page size.</param>
    /// <returns>True when allowed.</returns>
    public bool AllowsPageSize(int pageSize) => (MinPageSize is not { } min || pageSize >= min) && (MaxPageSize is not { } max || pageSize <= max);

    /// <summary>Refuses a page size outside the contract's bounds, as the generated query's setter does.</summary>
    /// <param name="pageSize">The page size.</param>
    /// <exception cref="ArgumentOutOfRangeException">The contract does not allow it; the message names the parameter and its bounds.</exception>
    public void CheckPageSize(int pageSize)
    {
        if (AllowsPageSize(pageSize))
        {
            return;
        }

        var name = PageSizeParameter ?? "pageSize";
        var bounds = (MinPageSize, MaxPageSize) switch
        {
            ({ } min, { } max) => FormattableString.Invariant($"between {min} and {max}"),
            ({ } min, null) => FormattableString.Invariant($"at least {min}"),
            (null, { } max) => FormattableString.Invariant($"at most {max}"),
            _ => "allowed",
        };
        throw new ArgumentOutOfRangeException(name, pageSize, $"'{name}' must be {bounds}.");
    }

    /// <summary>Builds the generated client (its type is <see cref="ClientType"/>).</summary>
    /// <param name="arguments">Base URL, credential, HTTP client and options hook.</param>
    /// <returns>The client.</returns>
    public object CreateClient(EventsClientArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return _createClient(arguments);
    }

    /// <summary>
    /// Builds the checkpointed export of a client into an NDJSON file; each event is written as the server
    /// sent it (<see cref="ExportOptions.RawJson"/> is set on the options used).
    /// </summary>
    /// <param name="client">A client built by <see cref="CreateClient"/>.</param>
    /// <param name="checkpoints">Where the checkpoint is kept.</param>
    /// <param name="path">The NDJSON file (appended to).</param>
    /// <param name="pageSize">Items per request, or null for <see cref="DefaultPageSize"/>.</param>
    /// <param name="options">Export options, or null.</param>
    /// <returns>The export.</returns>
    /// <exception cref="ArgumentException"><paramref name="client"/> is not of <see cref="ClientType"/>.</exception>
    public NdjsonExport CreateNdjsonExport(object client, ICheckpointStore checkpoints, string path, int? pageSize = null, ExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!ClientType.IsInstanceOfType(client))
        {
            throw new ArgumentException($"The client is a {client.GetType().Name}, not a {ClientType.Name}.", nameof(client));
        }

        options ??= new ExportOptions();
        options.RawJson = true;
        return _createExport(client, checkpoints, path, pageSize, options);
    }

    /// <summary>Builds a client and its NDJSON export in one call.</summary>
    /// <param name="arguments">Base URL, credential, HTTP client and options hook.</param>
    /// <param name="checkpoints">Where the checkpoint is kept.</param>
    /// <param name="path">The NDJSON file (appended to).</param>
    /// <param name="pageSize">Items per request, or null for <see cref="DefaultPageSize"/>.</param>
    /// <param name="options">Export options, or null.</param>
    /// <returns>The export.</returns>
    public NdjsonExport CreateNdjsonExport(EventsClientArguments arguments, ICheckpointStore checkpoints, string path, int? pageSize = null, ExportOptions? options = null) =>
        CreateNdjsonExport(CreateClient(arguments), checkpoints, path, pageSize, options);

    /// <summary>The id the export deduplicates by, of one item given as JSON (a line of the NDJSON file).</summary>
    /// <param name="json">The item's JSON.</param>
    /// <returns>Its id, formatted as the export formats it.</returns>
    public string IdOf(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return _idOf(json);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
