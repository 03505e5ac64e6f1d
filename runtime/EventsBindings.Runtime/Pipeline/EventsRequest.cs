using System.ComponentModel;
using System.Text;
using EventsBindings.Runtime.Infrastructure;

namespace EventsBindings.Runtime;

/// <summary>One request being built by generated code: method, path (literal and escaped segments), query and headers.</summary>
public sealed class EventsRequest
{
    private readonly StringBuilder _path = new();
    private readonly List<KeyValuePair<string, string>> _query = new();
    private readonly List<KeyValuePair<string, string>> _headers = new();

    /// <summary>Creates a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="operationName">The contract's endpoint name (logs, traces, metrics).</param>
    /// <param name="pathTemplate">The contract's path template (<c>/users/{user}/events</c>), used as <c>url.template</c>.</param>
    public EventsRequest(HttpMethod method, string operationName, string pathTemplate)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(operationName);
        ArgumentNullException.ThrowIfNull(pathTemplate);
        Method = method;
        OperationName = operationName;
        PathTemplate = pathTemplate;
    }

    /// <summary>The HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The contract's endpoint name.</summary>
    public string OperationName { get; }

    /// <summary>The contract's path template.</summary>
    public string PathTemplate { get; }

    /// <summary>
    /// A next link to fetch as it is (absolute, on the base URL's origin): when set, the path and query built
    /// here are not used; the headers still are. Null for a request built from the base URL.
    /// </summary>
    public Uri? Link { get; private set; }

    /// <summary>Makes this request fetch a next link as the server wrote it (resolved to an absolute URI).</summary>
    /// <param name="link">The absolute link.</param>
    /// <exception cref="ArgumentException">The link is not absolute.</exception>
    public void FollowLink(Uri link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!link.IsAbsoluteUri)
        {
            throw new ArgumentException("A next link to follow must be absolute.", nameof(link));
        }

        Link = link;
    }

    /// <summary>The path built so far (relative to the base URL).</summary>
    public string Path => _path.ToString();

    /// <summary>The query parameters, in the order added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query => _query;

    /// <summary>The headers, in the order added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>
    /// The endpoint's own error meanings (from its contract); for the same status they replace the
    /// API-wide ones of <see cref="ApiDescriptor.Errors"/>. Null when the endpoint declares none. Set by generated code.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public IReadOnlyList<ErrorDescriptor>? Errors { get; set; }

    /// <summary>The meaning of a status for this request: the endpoint's own, else the API's.</summary>
    /// <param name="api">The API.</param>
    /// <param name="status">The HTTP status.</param>
    /// <returns>The contract's meaning, or null when neither declares the status.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? MeaningOf(ApiDescriptor api, int status)
    {
        ArgumentNullException.ThrowIfNull(api);
        foreach (var error in Errors ?? Array.Empty<ErrorDescriptor>())
        {
            if (error.Status == status)
            {
                return error.Meaning;
            }
        }

        return api.MeaningOf(status);
    }

    /// <summary>Appends literal path text (already valid in a URL).</summary>
    /// <param name="literal">The text, e.g. <c>/events</c>.</param>
    public void AppendPath(string literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        _path.Append(literal);
    }

    /// <summary>Appends a path parameter's value, escaped as one segment.</summary>
    /// <param name="value">The value.</param>
    public void AppendPathValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _path.Append(Uri.EscapeDataString(value));
    }

    /// <summary>Adds a query parameter (escaped when the URL is built).</summary>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The wire value.</param>
    public void AddQuery(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        _query.Add(new KeyValuePair<string, string>(name, value));
    }

    /// <summary>Adds a header.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The value.</param>
    public void AddHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        _headers.Add(new KeyValuePair<string, string>(name, value));
    }

    /// <summary>The path and the escaped query, relative to the base URL.</summary>
    internal string RelativeUrl()
    {
        var sb = new StringBuilder();
        var path = _path.ToString();
        if (path.Length > 0 && path[0] != '/')
        {
            sb.Append('/');
        }

        sb.Append(path);
        for (var i = 0; i < _query.Count; i++)
        {
            sb.Append(i == 0 ? '?' : '&');
            sb.Append(Uri.EscapeDataString(_query[i].Key)).Append('=').Append(Uri.EscapeDataString(_query[i].Value));
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Method.Method + " " + RelativeUrl();
}
