using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

/// <summary>Next-link paging (<c>pagination: { strategy: nextLink, nextLink: {...}, cursor }</c>) and its sync.</summary>
internal sealed partial class ContractParser
{
    private PaginationSpec? ReadNextLinkPagination(MapReader reader, List<ParameterEntry> parameters, string what, ResponseSpec? response)
    {
        var where = $"the pagination of {what}";
        if (reader.Node("offset") is { } strayOffset)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'offset' applies only to the offset strategy.", strayOffset);
        }

        NextLinkSpec? link = null;
        var linkNode = reader.Map("nextLink", required: true);
        if (linkNode is not null)
        {
            var r = new MapReader(_context, linkNode, $"the nextLink of {what}", ContractKeys.NextLink);
            var header = r.Scalar("header");
            var rel = r.Scalar("rel");
            var field = r.Scalar("field");
            var parameter = r.Scalar("parameter");
            var fine = true;
            if (header is not null && field is not null)
            {
                _context.Error(DiagnosticIds.InvalidValue, "A next link comes from a header or from a body field, not both; give either 'header' (with 'rel') or 'field'.", field);
                fine = false;
            }
            else if (header is null && field is null)
            {
                _context.Error(DiagnosticIds.MissingKey, $"The nextLink of {what} needs 'header' (an RFC 8288 Link header, with 'rel') or 'field' (a body field holding the next URL or token).", linkNode);
                fine = false;
            }

            if (header is not null && rel is null)
            {
                _context.Error(DiagnosticIds.MissingKey, $"The nextLink header '{header.Value}' of {what} needs 'rel': the link relation that names the next page (e.g. next).", linkNode);
                fine = false;
            }

            if (header is null && rel is not null)
            {
                _context.Error(DiagnosticIds.InvalidValue, "'rel' applies only to a Link header ('header').", rel);
                fine = false;
            }

            if (header is not null && header.Value.Length == 0)
            {
                _context.Error(DiagnosticIds.InvalidValue, "The header name cannot be empty.", header);
                fine = false;
            }

            if (parameter is not null && field is null)
            {
                _context.Error(DiagnosticIds.InvalidValue, "'parameter' applies only to a body-field token ('field'): a Link header names a whole URL.", parameter);
                fine = false;
            }

            BodyPath? fieldPath = null;
            if (field is not null)
            {
                fieldPath = ReadNextLinkField(field, response, what);
                fine &= fieldPath is not null;
            }

            if (fine)
            {
                link = new NextLinkSpec(header?.Value, rel?.Value, fieldPath, parameter?.Value);
            }
        }

        // The opaque cursor parameter: 'cursor' (the parameter the server puts in its links), or the token's 'parameter'.
        YScalar? cursor = null;
        switch (reader.Node("cursor"))
        {
            case null:
                break;
            case YScalar { IsNull: false } scalar:
                cursor = scalar;
                break;
            case { } other:
                _context.Error(DiagnosticIds.WrongType, "'cursor' of nextLink paging is the wire name of the opaque cursor parameter (semantics pageToken), a scalar.", other);
                break;
        }

        var tokenParameter = linkNode?.Find("parameter") as YScalar;
        if (cursor is not null && tokenParameter is not null && cursor.Value != tokenParameter.Value)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"'cursor' ('{cursor.Value}') and the nextLink 'parameter' ('{tokenParameter.Value}') name the same parameter, the token sent back; give one.", cursor);
        }

        var token = cursor ?? tokenParameter;
        if (token is null && linkNode is not null)
        {
            _context.Error(DiagnosticIds.MissingKey, $"{Capitalize(where)} needs 'cursor': the wire name of the opaque cursor parameter (semantics pageToken) the server puts in its next links.", reader.Mapping);
        }

        CheckEndpointParameter(parameters, token, where);
        CheckParameterRole(parameters, token, where, SemanticsKind.PageToken);
        CheckNotInPath(parameters, token, where);

        // A next link that is a URL carries the cursor in its query: a cursor declared as a header could not travel
        // in it (only a body-field token that the client sends back, 'nextLink.parameter', can be a header).
        var isUrl = link is not null && (link.Header is not null || link.Parameter is null);
        if (isUrl && token is not null && parameters.FirstOrDefault(p => p.Spec.WireName == token.Value) is { Spec.In: ParameterLocation.Header } inHeader)
        {
            _context.Error(DiagnosticIds.UnsupportedPaging, $"The next links of {what} are URLs, which carry the cursor '{token.Value}' in their query; it is declared 'in: header', where no link can put it. Declare it in the query (or read a token from a body field with 'nextLink.parameter').", token);
        }

        var pageSize = reader.Scalar("pageSize");
        CheckEndpointParameter(parameters, pageSize, where);
        CheckParameterRole(parameters, pageSize, where, SemanticsKind.PageSize);
        CheckNotInPath(parameters, pageSize, where);

        var stop = reader.Choice("stop", StopRules) ?? StopRule.Absent;
        if (stop == StopRule.ShortPage)
        {
            _context.Error(DiagnosticIds.InvalidValue, "nextLink paging stops when a page has no next link ('absent', the default) or also at an empty page ('emptyPage'); a short page says nothing about a next link.", reader.Node("stop")!);
        }

        if (response is not null && response.Kind != ResponseKind.List)
        {
            _context.Error(DiagnosticIds.UnsupportedPaging, $"nextLink paging walks pages of items; {what} does not list items.", reader.Node("strategy")!);
        }

        return new PaginationSpec(PaginationStrategy.NextLink, null, null, CursorNext.LastPlusOne, null, pageSize?.Value, stop, _context.ReadProvenance(reader.Node("provenance")))
        {
            NextLink = link,
            TokenParameter = token?.Value,
        };
    }

    /// <summary>
    /// The body field that names the next page: a path (names separated by dots; a name holding a dot in the bracket
    /// form <c>['@odata.nextLink']</c>) that lies beside the items, in the envelope object.
    /// </summary>
    private BodyPath? ReadNextLinkField(YScalar field, ResponseSpec? response, string what)
    {
        var text = field.Value;
        if (BodyPath.TryParse(text, out var problem) is not { } path)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(text)}' is not a field path ({problem}): names separated by dots, a name that holds a dot, bracket or quote written ['like.this'] (e.g. ['@odata.nextLink']).", field);
            return null;
        }

        if (response is null)
        {
            return path;
        }

        if (response.Envelope is not { } envelope)
        {
            _context.Error(DiagnosticIds.UnsupportedPaging, $"The next link of {what} is read from the body field '{text}', but the response is a bare array (no 'envelope'); a body field can only sit beside the items in an envelope object.", field);
            return null;
        }

        if (path.Segments[0] == envelope)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"The next-link field '{text}' lies inside the items' envelope property '{envelope}'; it must be another field of the envelope object.", field);
            return null;
        }

        return path;
    }

    /// <summary>A pageToken parameter exists only for next-link paging, and only as its cursor.</summary>
    private void CheckPageTokenParameters(List<ParameterEntry> parameters, PaginationSpec? pagination, string what)
    {
        foreach (var parameter in parameters.Where(p => p.Spec.Semantics.Kind == SemanticsKind.PageToken))
        {
            var at = (parameter.Node.Find("semantics") as YMapping)?.Find("kind") ?? (YNode)parameter.Node;
            if (pagination?.Strategy != PaginationStrategy.NextLink)
            {
                _context.Error(DiagnosticIds.UnsupportedPaging, $"The pageToken parameter '{parameter.Spec.WireName}' of {what} is a position the server issues in its next links, but {what} has no 'pagination: {{ strategy: nextLink }}'.", at);
            }
            else if (pagination.TokenParameter is { } token && token != parameter.Spec.WireName)
            {
                _context.Error(DiagnosticIds.UnsupportedPaging, $"{Capitalize(what)} pages by '{token}'; the pageToken parameter '{parameter.Spec.WireName}' is no cursor of its pagination.", at);
            }
        }
    }

    private SyncSpec? ReadNextLinkSync(MapReader reader, List<ParameterEntry> parameters, ModelSpec? itemModel, string what)
    {
        foreach (var stray in new[] { "parameter", "field", "overlap" })
        {
            if (reader.KeyNode(stray) is { } node)
            {
                _context.Error(DiagnosticIds.InvalidValue, $"'{stray}' does not apply to a nextLink sync: the stored next link is the cursor.", node);
            }
        }

        var dedupBy = reader.Scalar("dedupBy", required: true);
        CheckFieldPath(itemModel, dedupBy, $"the sync of {what}");
        var set = ReadSyncValues(reader, "set", parameters, what);
        var defaults = ReadSyncValues(reader, "defaults", parameters, what);
        foreach (var both in defaults.Where(d => set.Any(v => v.Name == d.Name)))
        {
            _context.Error(DiagnosticIds.DuplicateName, $"'{both.Name}' is both set and defaulted by the sync of {what}.", reader.Map("defaults")!.Entries.First(e => e.Key.Value == both.Name).Key);
        }

        var token = parameters.Find(p => p.Spec.Semantics.Kind == SemanticsKind.PageToken)?.Spec.WireName ?? string.Empty;
        return dedupBy is not null
            ? new SyncSpec(SyncStrategy.NextLink, token, dedupBy.Value, 0, dedupBy.Value, set, defaults, _context.ReadProvenance(reader.Node("provenance")))
            : null;
    }
}
