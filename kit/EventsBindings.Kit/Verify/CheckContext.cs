using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Verify;

/// <summary>What one check sends: each request goes through the run's session, is listed in the check's result, and a 200's body is inspected for drift.</summary>
internal sealed class CheckContext
{
    private readonly VerifierRun _run;

    public CheckContext(VerifierRun run) => _run = run;

    public List<string> Requests { get; } = new();

    public IReadOnlyList<string> LastErrors { get; private set; } = Array.Empty<string>();

    public async Task<VerifyResponse> SendAsync(EndpointSpec endpoint, IReadOnlyDictionary<string, string> pathValues, IReadOnlyList<(string Name, string Value)> parameters, bool authenticate = true, Uri? link = null)
    {
        var response = await _run.Session.SendAsync(endpoint, pathValues, parameters, authenticate, _run.CancellationToken, link).ConfigureAwait(false);
        Requests.Add(response.RequestLine);
        LastErrors = response.Code == 200 && _run.Drift.TryGetValue(endpoint.Name, out var drift)
            ? drift.Add(endpoint, response.Body)
            : Array.Empty<string>();
        return response;
    }
}
