using EventsBindings.Generator.Model;
using static EventsBindings.Generator.Emitter.CSharpExpressions;

namespace EventsBindings.Generator.Emitter;

// List endpoints: the one pageable list method, the next-link page request and the checkpointed export, one
// case per paging and sync strategy of the emit model (exhaustive switches: a strategy without a case is an error).
internal static partial class ContractEmitter
{
    /// <summary>
    /// The one list method of a list endpoint: a pageable whose items stream page after page and whose
    /// <c>AsPages(continuationToken, pageSizeHint)</c> gives the pages, following the contract's pagination.
    /// </summary>
    private static void EmitListMethods(SourceWriter w, EndpointEmit e, string pathArgs, string pathArgNames, string queryArg, string operation, string summary, Action pathDocs, Action queryDoc)
    {
        var item = e.ModelName!;
        var hasQuery = e.QueryParameters.Count > 0;
        var sendQuery = hasQuery ? "q, " : string.Empty;

        w.Line();
        w.Line($"/// <summary>{summary} ({operation}): <c>await foreach</c> streams every item, page after page, following the contract's pagination ({StrategyName(e.Paging)}); <c>AsPages</c> gives the pages with their continuation tokens and raw responses.</summary>");
        pathDocs();
        queryDoc();
        w.Line("/// <param name=\"cancellationToken\">Cancels every enumeration of the result.</param>");
        w.Line("/// <returns>The items and, through <c>AsPages</c>, the pages; nothing is requested until it is enumerated, and a failed page is retried alone.</returns>");
        w.Open($"public virtual {Runtime}.Paging.EventsPageable<{item}> Get{e.Name}Async({pathArgs}{queryArg}{CancellationToken} cancellationToken = default)");
        if (hasQuery)
        {
            w.Line($"var baseQuery = query?.Clone() ?? new {e.QueryTypeName}();");
        }

        w.Line($"return {Runtime}.Paging.EventsPageable.Create<{item}>(");
        w.Line("    (continuationToken, pageSizeHint, pagesCancellation) =>");
        w.Line("    {");
        w.Indent();
        w.Indent();
        var single = $"{Runtime}.Paging.Pager.SinglePageAsync<{item}>(ct => Send{e.Name}Async({pathArgNames}{(hasQuery ? "baseQuery, " : string.Empty)}ct), pagesCancellation)";
        if (e.NewestNProperty is { } newest)
        {
            w.Line($"if (baseQuery.{newest} is not null)");
            w.Line("{");
            w.Line($"    return {single};");
            w.Line("}");
            w.Line();
        }

        var stop = $"{Runtime}.Paging.PageStop.{(e.Paging.StopOnEmptyPage ? "EmptyPage" : "ShortPage")}";

        // A cursor or offset page's fetch: the base query at the position the pager asks for, with its page size.
        void PageFetch(string position, string assignment, PageSizeEmit pageSize)
        {
            w.Line($"    ({position}, size, ct) =>");
            w.Line("    {");
            w.Line("        var q = baseQuery.Clone();");
            w.Line("        " + assignment);
            w.Line($"        q.{pageSize.Property.Name} = size;");
            w.Line($"        return Send{e.Name}Async({pathArgNames}{sendQuery}ct);");
            w.Line("    },");
        }
        switch (e.Paging)
        {
            case PagingEmit.Cursor cursor:
                w.Line($"var pageSize = {HintedPageSize(cursor.PageSize)};");
                w.Line($"return {Runtime}.Paging.Pager.CursorPagesAsync<{item}>(");
                w.Line($"    {ToCursor(cursor.CursorProperty, "baseQuery." + cursor.CursorProperty.Name)},");
                w.Line("    pageSize,");
                w.Line($"    {Runtime}.Paging.CursorAdvance.{(cursor.LastPlusOne ? "LastPlusOne" : "Last")},");
                w.Line($"    {stop},");
                PageFetch("cursor", $"q.{cursor.CursorProperty.Name} = {FromCursor(cursor.CursorProperty, "cursor", millis: false)};", cursor.PageSize);
                w.Line($"    static item => {Read(cursor.Field, Use.Int64)},");
                w.Line("    continuationToken,");
                w.Line("    pagesCancellation);");
                break;
            case PagingEmit.Offset offset:
                w.Line($"var pageSize = {HintedPageSize(offset.PageSize)};");
                w.Line($"return {Runtime}.Paging.Pager.OffsetPagesAsync<{item}>(");
                w.Line($"    baseQuery.{offset.OffsetProperty.Name} ?? 0,");
                w.Line("    pageSize,");
                w.Line($"    {stop},");
                PageFetch("offset", $"q.{offset.OffsetProperty.Name} = {FromOffset(offset.OffsetProperty, "offset")};", offset.PageSize);
                w.Line($"    static item => {(offset.Identity is { } identity ? Read(identity, Use.Text) : $"{Runtime}.Paging.Pager.Fingerprint(item, static (i, w) => i.WriteJson(w))")},");
                w.Line("    continuationToken,");
                w.Line("    pagesCancellation);");
                break;
            case PagingEmit.NextLink link:
                var first = hasQuery ? "baseQuery, " : string.Empty;
                if (link.PageSize is { } linkPageSize)
                {
                    // The hint sizes the first request; the links the server names carry their own page size.
                    w.Line("var firstQuery = baseQuery;");
                    w.Line("if (pageSizeHint is not null)");
                    w.Line("{");
                    w.Line("    firstQuery = baseQuery.Clone();");
                    w.Line($"    firstQuery.{linkPageSize.Property.Name} = {HintedPageSize(linkPageSize)};");
                    w.Line("}");
                    w.Line();
                    first = "firstQuery, ";
                }

                w.Line($"return {Runtime}.Paging.Pager.LinkPagesAsync<{item}>(");
                w.Line("    _pipeline.BaseUri,");
                w.Line($"    {(link.TokenWire is null ? "false" : "true")},");
                w.Line($"    {Runtime}.Paging.PageStop.{(link.StopOnEmptyPage ? "EmptyPage" : "Absent")},");
                w.Line($"    (link, ct) => Send{e.Name}PageAsync({pathArgNames}{first}link, ct),");
                w.Line("    continuationToken,");
                w.Line("    pagesCancellation);");
                break;
            case PagingEmit.Single:
                w.Line($"return {single};");
                break;
            default:
                throw new InvalidOperationException($"No emitter for the paging {e.Paging.GetType().Name}.");
        }

        w.Outdent();
        w.Outdent();
        w.Line("    },");
        w.Line("    cancellationToken);");
        w.Close();

        if (e.Sync is { } sync)
        {
            EmitExport(w, e, sync, pathArgs, pathArgNames, summary);
        }
    }

    /// <summary>The contract's name of a paging strategy, for the XML docs.</summary>
    private static string StrategyName(PagingEmit paging) => paging switch
    {
        PagingEmit.Cursor => "Cursor",
        PagingEmit.Offset => "Offset",
        PagingEmit.NextLink => "NextLink",
        _ => "None",
    };

    /// <summary>The page size of a request: the caller's hint (bounded by the contract's maximum), else the query's.</summary>
    private static string HintedPageSize(PageSizeEmit pageSize) =>
        $"{Runtime}.Paging.EventsPageable.PageSize(pageSizeHint, {PageSizeOf(pageSize, "baseQuery")}, {Maximum(pageSize)})";

    /// <summary>The request of an endpoint's call: method, path with its values, declared errors and the query.</summary>
    private static void EmitNewRequest(SourceWriter w, EndpointEmit e, bool hasQuery)
    {
        w.Line($"var request = new {Runtime}.EventsRequest(global::System.Net.Http.HttpMethod.{Pascal(e.Method)}, {SourceLiterals.Quote(e.Name)}, {SourceLiterals.Quote(e.Path)});");
        foreach (var segment in e.Segments)
        {
            if (segment.IsParameter)
            {
                var p = e.PathParameters.First(x => x.ArgumentName == segment.Text);
                w.Line($"request.AppendPathValue({FormatScalar(p.Kind, p.ArgumentName)});");
            }
            else
            {
                w.Line($"request.AppendPath({SourceLiterals.Quote(segment.Text)});");
            }
        }

        if (e.Errors.Count > 0)
        {
            w.Line($"request.Errors = {e.Name}Errors;");
        }

        if (hasQuery)
        {
            w.Line("query?.ApplyTo(request);");
        }
    }

    /// <summary>Next-link endpoints: the request of the first page (from the query) or of the page a link or token names.</summary>
    private static void EmitSendPage(SourceWriter w, EndpointEmit e, PagingEmit.NextLink link, string pathArgs, string queryParameter, bool hasQuery, string parse)
    {
        var item = e.ModelName!;
        w.Line();
        w.Line($"private global::System.Threading.Tasks.Task<{Runtime}.Paging.LinkedPage<{item}>> Send{e.Name}PageAsync({pathArgs}{queryParameter}string? link, {CancellationToken} cancellationToken)");
        w.Line("{");
        w.Indent();
        EmitNewRequest(w, e, hasQuery);

        w.Line("if (link is not null)");
        w.Line("{");
        if (link.TokenWire is { } tokenWire)
        {
            // The server's opaque token goes back in its parameter, beside the first page's query.
            w.Line($"    request.{(link.TokenPlace == ParameterPlace.Header ? "AddHeader" : "AddQuery")}({SourceLiterals.Quote(tokenWire)}, link);");
        }
        else
        {
            // The server's next link carries the whole query; it is fetched as it is (on the base URL's origin only).
            w.Line("    request.FollowLink(new global::System.Uri(link, global::System.UriKind.Absolute));");
        }

        w.Line("}");
        w.Line();
        // A body field travels as its property names (parsed once by the spec; a name may hold a dot, as @odata.nextLink).
        // (the builder guarantees a header with its relation, or a body field)
        var location = link.Header is { } header
            ? $"{Runtime}.Paging.NextLinkLocation.Header({SourceLiterals.Quote(header)}, {SourceLiterals.Quote(link.Rel!)})"
            : $"{Runtime}.Paging.NextLinkLocation.Field(new string[] {{ {string.Join(", ", link.Field!.Segments.Select(SourceLiterals.Quote))} }})";
        w.Line($"return _pipeline.SendPageAsync<{item}>(request, {parse}, {location}, cancellationToken);");
        w.Outdent();
        w.Line("}");
    }

    private static void EmitExport(SourceWriter w, EndpointEmit e, SyncEmit sync, string pathArgs, string pathArgNames, string summary)
    {
        var item = e.ModelName!;
        var hasQuery = e.QueryParameters.Count > 0;
        var strategy = sync switch
        {
            SyncEmit.IdCursor => "IdCursor",
            SyncEmit.TimeCursor => "TimeCursor",
            _ => "NextLink",
        };
        w.Line();
        w.Line($"/// <summary>A checkpointed export of {summary.TrimEnd('.')}: everything new since the stored checkpoint, page by page, the checkpoint saved only after the sink took the page ({strategy}).</summary>");
        foreach (var p in e.PathParameters)
        {
            w.Line($"/// <param name=\"{p.ArgumentName.TrimStart('@')}\">{SourceLiterals.Xml(p.Description ?? p.WireName)}</param>");
        }

        w.Line("/// <param name=\"checkpoints\">Where the checkpoint is kept.</param>");
        w.Line("/// <param name=\"sink\">Receives each page; a page counts as delivered when the sink's call completes.</param>");
        if (hasQuery)
        {
            w.Line("/// <param name=\"filter\">Further filters; the export sets the sync cursor, the page size and the values the contract's sync always sends, and fills the sync's defaults this filter leaves unset.</param>");
        }

        w.Line($"/// <param name=\"pageSize\">Items per request; default {sync.PageSize}.</param>");
        w.Line("/// <param name=\"options\">Export options.</param>");
        w.Line("/// <returns>The export; call RunOnceAsync or FollowAsync.</returns>");
        var filter = hasQuery ? $"{e.QueryTypeName}? filter = null, " : string.Empty;
        w.Open($"public virtual {Runtime}.Export.CheckpointedExport<{item}> Create{e.Name}Export({pathArgs}{Runtime}.Export.ICheckpointStore checkpoints, {Runtime}.Export.IEventSink<{item}> sink, {filter}int? pageSize = null, {Runtime}.Export.ExportOptions? options = null)");
        if (hasQuery)
        {
            w.Line($"var baseQuery = filter?.Clone() ?? new {e.QueryTypeName}();");
        }

        foreach (var fixedValue in sync.FixedValues)
        {
            w.Line($"baseQuery.{fixedValue.PropertyName} {(fixedValue.OnlyWhenUnset ? "??=" : "=")} {CSharpExpressions.Literal(fixedValue)};");
        }

        w.Line($"var size = pageSize ?? {sync.PageSize};");

        // A cursor sync's fetch: the base query with the cursor (and offset) the source asks for, n items, the page's items.
        void SyncFetch(string parameters, params string[] assignments)
        {
            w.Line($"    async ({parameters}) =>");
            w.Line("    {");
            w.Line("        var q = baseQuery.Clone();");
            foreach (var assignment in assignments)
            {
                w.Line("        " + assignment);
            }

            if (sync.PageSizeParameter is { } size)
            {
                w.Line($"        q.{size.Property.Name} = n;");
            }

            w.Line($"        return (await Send{e.Name}Async({pathArgNames}q, ct).ConfigureAwait(false)).Value;");
            w.Line("    },");
        }

        switch (sync)
        {
            case SyncEmit.NextLink:
                if (sync.PageSizeParameter is { } linkPageSize)
                {
                    w.Line($"baseQuery.{linkPageSize.Property.Name} = size;");
                }
                else
                {
                    w.Line("_ = size;");
                }

                var link = (PagingEmit.NextLink)e.Paging;
                w.Line($"var source = {Runtime}.Export.SyncSources.NextLink<{item}>(");
                w.Line("    _pipeline.BaseUri,");
                w.Line($"    {(link.TokenWire is null ? "false" : "true")},");
                w.Line($"    {Runtime}.Paging.PageStop.{(link.StopOnEmptyPage ? "EmptyPage" : "Absent")},");
                w.Line($"    (link, ct) => Send{e.Name}PageAsync({pathArgNames}{(hasQuery ? "baseQuery, " : string.Empty)}link, ct),");
                w.Line($"    static item => {Read(sync.Id, Use.Text)});");
                break;
            case SyncEmit.IdCursor idCursor:
                w.Line($"var source = {Runtime}.Export.SyncSources.IdCursor<{item}>(");
                SyncFetch("cursor, n, ct", $"q.{idCursor.CursorProperty.Name} = {FromCursor(idCursor.CursorProperty, "cursor", millis: false)};");
                w.Line($"    static item => {Read(idCursor.Field, Use.Int64)},");
                w.Line("    size);");
                break;
            case SyncEmit.TimeCursor timeCursor:
                w.Line($"var source = {Runtime}.Export.SyncSources.TimeCursor<{item}>(");
                SyncFetch(
                    "after, offset, n, ct",
                    $"q.{timeCursor.CursorProperty.Name} = {FromCursor(timeCursor.CursorProperty, "after", millis: true)};",
                    $"q.{timeCursor.OffsetProperty.Name} = {FromOffset(timeCursor.OffsetProperty, "offset")};");
                w.Line($"    static item => {Read(timeCursor.Field, Use.EpochMillis)},");
                w.Line($"    static item => {Read(timeCursor.Id, Use.Text)},");
                w.Line($"    global::System.TimeSpan.FromMilliseconds({timeCursor.OverlapMilliseconds}),");
                w.Line("    size);");
                break;
            default:
                throw new InvalidOperationException($"No emitter for the sync {sync.GetType().Name}.");
        }

        w.Line($"return new {Runtime}.Export.CheckpointedExport<{item}>(source, checkpoints, sink, options);");
        w.Close();
    }
}
