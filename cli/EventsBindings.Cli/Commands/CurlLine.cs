using EventsBindings.MockServer.Hosting;

namespace EventsBindings.Cli.Commands;

/// <summary>Builds a curl command line for an API's first list endpoint, sending a credential as its scheme says.</summary>
internal static class CurlLine
{
    public static string? For(MockApiInfo api, MockCredentialInfo credential)
    {
        if (api.SamplePath is null)
        {
            return null;
        }

        var auth = credential.Kind switch
        {
            "ApiKey" => $"-H \"{credential.Header}: {credential.Value}\"",
            "Basic" => "-u x:" + credential.Value,
            "Authorization" => $"-H \"Authorization: {credential.AuthorizationScheme} {credential.Value}\"",
            _ => $"-H \"Authorization: Bearer {credential.Value}\"",
        };
        return $"curl -s {auth} \"{api.BaseAddress}{api.SamplePath}\"";
    }
}
