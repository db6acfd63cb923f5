using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.CheckIns;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Journal;
using Mindspace.Grains.Journal.Sentiment;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Journal;

/// <summary>
/// One user's journal: entries and drafts as rows (one per record, so a write costs the same
/// whatever the journal's size), their words sealed with the user's data key, and — once the user
/// searches — an index of them in memory only.
/// </summary>
/// <remarks>
/// <para>
/// The data key is made on the first write, wrapped with the master key and stored in
/// <see cref="JournalDataKeys"/>; the activation keeps it unwrapped in memory and zeroes it when it
/// ends. Each sealed payload is bound (AES-GCM associated data) to this user, its table and its
/// record key. A payload that fails its check is never served: the entry comes back marked
/// unreadable, with no text, and the rest of the journal is unaffected.
/// </para>
/// <para>
/// Text is never logged and never put in an exception message.
/// </para>
/// </remarks>
public sealed partial class JournalGrain(
    [RecordCollection("journal_entries")] IRecordCollection<StoredJournalEntry> entries,
    [RecordCollection("journal_drafts")] IRecordCollection<StoredJournalDraft> drafts,
    IRecordStore store,
    JournalMasterKeys masterKeys,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock,
    ILogger<JournalGrain> logger) : Grain, IJournalGrain
{
    private const string EntriesPurpose = "journal-entry";
    private const string DraftsPurpose = "journal-draft";
    private const int FilterScanBatch = 200;
    private const int MaxScannedPerPage = 2_000;
    private const int ReadBatch = 500;

    /// <summary>How deep search pages go (the gateway's cursor allows no more).</summary>
    private const int MaxSearchOffset = 100_000;

    private readonly JournalDataKeys _keys = new(store);
    private byte[]? _dataKey;
    private bool _dataKeyLoaded;
    private JournalSearchIndex? _index;

    /// <summary>An index being built (by a warm-up or a search), complete up to <see cref="_buildingAfter"/> (inclusive).</summary>
    private JournalSearchIndex? _building;
    private string? _buildingAfter;
    private IGrainTimer? _warmUp;
    private long _lastIdUnixMilliseconds;

    private Guid UserId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var newest = await entries.QueryAsync(new RecordQuery(Descending: true, Limit: 1), cancellationToken);
        _lastIdUnixMilliseconds = newest.Count == 0 ? 0 : CheckInKeys.UnixMillisecondsOf(Guid.Parse(newest[0].Key));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ForgetDataKey();
        _index = null;
        StopIndexBuild();
        return Task.CompletedTask;
    }

    public async Task<JournalEntryView> CreateAsync(JournalContent content, Guid? fromDraft)
    {
        var valid = Require(content);
        var key = await DataKeyForWritingAsync();
        var ms = Math.Max(clock.GetUtcNow().ToUnixTimeMilliseconds(), _lastIdUnixMilliseconds + 1);
        var id = CheckInKeys.NewId(ms);
        var recordKey = CheckInKeys.Of(id);
        var text = new SealedText(valid.Title, valid.Body, valid.ThoughtRecord);
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        var offset = await UserUtcOffsets.OfUserAsync(GrainFactory, UserId, createdAt);
        var stored = new StoredJournalEntry(
            valid.Kind, valid.Mood, [.. valid.Tags], CompoundOf(text), createdAt, null, Seal(key, EntriesPurpose, recordKey, text), offset);
        await entries.PutAsync(recordKey, stored);
        _lastIdUnixMilliseconds = ms;
        IndexPut(recordKey, text, stored.Tags);
        if (fromDraft is { } draftId)
        {
            await drafts.RemoveAsync(CheckInKeys.Of(draftId));
        }

        return View(id, stored, text);
    }

    public async Task<JournalEntryView?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var recordKey = CheckInKeys.Of(id);
        return await entries.GetAsync(recordKey, cancellationToken) is { } stored
            ? View(id, stored, await OpenEntryAsync(recordKey, stored, cancellationToken))
            : null;
    }

    public async Task<JournalPage> ListAsync(JournalQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, JournalRules.MaxPageSize);
        if (query.After is null)
        {
            StartIndexWarmUp();
        }

        var filtered = query.Tag is not null || query.Kind is not null;
        var after = query.After is { } afterId ? CheckInKeys.Of(afterId) : null;
        var matches = new List<KeyedRecord<StoredJournalEntry>>(limit + 1);
        var scanned = 0;
        string? next = null;
        while (true)
        {
            var batchSize = filtered ? FilterScanBatch : limit + 1 - matches.Count;
            var batch = await entries.QueryAsync(new RecordQuery(after, Descending: true, Limit: batchSize), cancellationToken);
            foreach (var record in batch)
            {
                scanned++;
                after = record.Key;
                if ((query.Tag is null || record.Value.Tags.Contains(query.Tag, StringComparer.Ordinal))
                    && (query.Kind is null || record.Value.Kind == query.Kind))
                {
                    matches.Add(record);
                    if (matches.Count > limit)
                    {
                        break;
                    }
                }
            }

            if (matches.Count > limit)
            {
                matches.RemoveAt(limit);
                next = matches[^1].Key;
                break;
            }

            if (batch.Count < batchSize)
            {
                break;
            }

            if (scanned >= MaxScannedPerPage)
            {
                next = after;
                break;
            }
        }

        var items = new List<JournalEntryView>(matches.Count);
        foreach (var record in matches)
        {
            items.Add(View(Guid.Parse(record.Key), record.Value, await OpenEntryAsync(record.Key, record.Value, cancellationToken)));
        }

        return new JournalPage(items, next is null ? null : Guid.Parse(next));
    }

    public async Task<JournalChange> UpdateAsync(Guid id, JournalPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var recordKey = CheckInKeys.Of(id);
        if (await entries.GetAsync(recordKey) is not { } stored)
        {
            return new JournalChange(JournalChangeStatus.NotFound, null);
        }

        if (await OpenEntryAsync(recordKey, stored, CancellationToken.None) is not { } text)
        {
            return new JournalChange(JournalChangeStatus.Unreadable, null);
        }

        var kind = patch.Kind ?? stored.Kind;
        var thoughtRecord = patch.SetThoughtRecord ? patch.ThoughtRecord : text.ThoughtRecord;
        if (kind != JournalKinds.ThoughtRecord && !patch.SetThoughtRecord)
        {
            // Changing a thought record into another kind leaves its columns behind.
            thoughtRecord = null;
        }

        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var merged = JournalRules.Check(
            kind,
            patch.SetTitle ? patch.Title : text.Title,
            patch.Body ?? text.Body,
            patch.SetMood ? patch.Mood : stored.Mood,
            patch.Tags ?? stored.Tags,
            thoughtRecord,
            finished: true,
            (field, message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message));
        if (merged is null)
        {
            return new JournalChange(JournalChangeStatus.Invalid, null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }

        var newText = new SealedText(merged.Title, merged.Body, merged.ThoughtRecord);
        if (newText.Title == text.Title && newText.Body == text.Body && SameThoughtRecord(newText.ThoughtRecord, text.ThoughtRecord)
            && merged.Kind == stored.Kind && merged.Mood == stored.Mood && merged.Tags.SequenceEqual(stored.Tags, StringComparer.Ordinal))
        {
            return new JournalChange(JournalChangeStatus.Changed, View(id, stored, text));
        }

        var key = await DataKeyForWritingAsync();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var updated = stored with
        {
            Kind = merged.Kind,
            Mood = merged.Mood,
            Tags = [.. merged.Tags],
            Compound = CompoundOf(newText),
            UpdatedAt = now > stored.CreatedAt ? now : stored.CreatedAt,
            Sealed = Seal(key, EntriesPurpose, recordKey, newText),
        };
        await entries.PutAsync(recordKey, updated);
        IndexPut(recordKey, newText, updated.Tags);
        return new JournalChange(JournalChangeStatus.Changed, View(id, updated, newText));
    }

    public async Task<bool> DeleteAsync(Guid id)
    {
        var recordKey = CheckInKeys.Of(id);
        var removed = await entries.RemoveAsync(recordKey);
        IndexRemove(recordKey);
        return removed;
    }

    public async Task<JournalSearchPage> SearchAsync(JournalSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        if (JournalRules.CheckSearch(search.Text, out var text) is { } error)
        {
            throw new ArgumentException(error, nameof(search));
        }

        var index = _index ?? await BuildIndexAsync(cancellationToken);
        var offset = Math.Clamp(search.Offset, 0, MaxSearchOffset);
        var limit = Math.Clamp(search.Limit, 1, JournalRules.MaxPageSize);
        var (total, page) = index.Search(text, offset, limit);
        var hits = new List<JournalHit>(limit);
        foreach (var (recordKey, score) in page)
        {
            if (await entries.GetAsync(recordKey, cancellationToken) is not { } stored
                || await OpenEntryAsync(recordKey, stored, cancellationToken) is not { } sealedText)
            {
                continue;
            }

            var snippet = JournalSearchIndex.Snippet(SearchText(sealedText, []), text);
            hits.Add(new JournalHit(View(Guid.Parse(recordKey), stored, sealedText), score, snippet));
        }

        var nextOffset = offset + limit < total && offset + limit <= MaxSearchOffset ? offset + limit : (int?)null;
        return new JournalSearchPage(hits, total, nextOffset);
    }

    public async Task<JournalDraftView?> SaveDraftAsync(Guid id, JournalContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var valid = JournalRules.Check(content.Kind, content.Title, content.Body, content.Mood, content.Tags, content.ThoughtRecord, finished: false, Reject)!;
        var recordKey = CheckInKeys.Of(id);
        if (await drafts.GetAsync(recordKey) is null && await drafts.CountAsync() >= JournalRules.MaxDrafts)
        {
            return null;
        }

        var key = await DataKeyForWritingAsync();
        var savedAt = clock.GetUtcNow();
        await drafts.PutAsync(recordKey, new StoredJournalDraft(savedAt, Seal(key, DraftsPurpose, recordKey, new SealedDraft(valid))));
        return new JournalDraftView(id, valid, savedAt);
    }

    public async Task<JournalDraftView?> GetDraftAsync(Guid id, CancellationToken cancellationToken)
    {
        var recordKey = CheckInKeys.Of(id);
        return await drafts.GetAsync(recordKey, cancellationToken) is { } stored ? await DraftViewAsync(recordKey, stored, cancellationToken) : null;
    }

    public async Task<IReadOnlyList<JournalDraftView>> ListDraftsAsync(CancellationToken cancellationToken)
    {
        var all = await ReadAllAsync(drafts, cancellationToken);
        var views = new List<JournalDraftView>(all.Count);
        foreach (var record in all.OrderByDescending(r => r.Value.SavedAt))
        {
            views.Add(await DraftViewAsync(record.Key, record.Value, cancellationToken));
        }

        return views;
    }

    public Task<bool> DeleteDraftAsync(Guid id) => drafts.RemoveAsync(CheckInKeys.Of(id));

    public async Task<IReadOnlyList<JournalSignal>> GetSignalsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var signals = new List<JournalSignal>();
        await foreach (var record in RangeAsync(from, to, cancellationToken))
        {
            var entry = record.Value;
            signals.Add(new JournalSignal(Guid.Parse(record.Key), entry.CreatedAt, entry.Kind, entry.Mood, entry.Compound, entry.Tags, entry.UtcOffsetMinutes ?? 0));
        }

        return signals;
    }

    public async Task<RecentMood> GetRecentMoodAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var count = 0;
        var moods = new List<int>();
        double compounds = 0;
        await foreach (var record in RangeAsync(since, clock.GetUtcNow().AddMinutes(1), cancellationToken))
        {
            count++;
            compounds += record.Value.Compound;
            if (record.Value.Mood is { } mood)
            {
                moods.Add(mood);
            }
        }

        return new RecentMood(count, moods.Count == 0 ? null : moods.Average(), count == 0 ? null : compounds / count);
    }

    public async Task<JournalExport> ExportAsync()
    {
        var allEntries = await ReadAllAsync(entries, CancellationToken.None);
        var views = new List<JournalEntryView>(allEntries.Count);
        foreach (var record in allEntries)
        {
            views.Add(View(Guid.Parse(record.Key), record.Value, await OpenEntryAsync(record.Key, record.Value, CancellationToken.None)));
        }

        var allDrafts = await ListDraftsAsync(CancellationToken.None);
        return new JournalExport(views, allDrafts);
    }

    public async Task EraseAsync()
    {
        // The key goes first: from then on no copy of these rows (a backup, a replica) can be read.
        await _keys.RemoveAsync(UserId, CancellationToken.None);
        ForgetDataKey();
        _dataKeyLoaded = true;
        _index = null;
        StopIndexBuild();
        await entries.ClearAsync();
        await drafts.ClearAsync();
        _lastIdUnixMilliseconds = 0;
    }

    private async IAsyncEnumerable<KeyedRecord<StoredJournalEntry>> RangeAsync(
        DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lower = CheckInKeys.LowerBound(from);
        var upper = CheckInKeys.UpperBound(to);
        if (lower is not null && upper is not null && string.CompareOrdinal(lower, upper) >= 0)
        {
            yield break;
        }

        string? after = null;
        while (true)
        {
            var batch = await entries.QueryAsync(new RecordQuery(after, Limit: ReadBatch, From: lower, To: upper), cancellationToken);
            foreach (var record in batch)
            {
                yield return record;
            }

            if (batch.Count < ReadBatch)
            {
                yield break;
            }

            after = batch[^1].Key;
        }
    }

    private async Task<JournalSearchIndex> BuildIndexAsync(CancellationToken cancellationToken)
    {
        // Finish what a warm-up started (or start from the beginning).
        _building ??= new JournalSearchIndex();
        while (!await IndexNextBatchAsync(cancellationToken))
        {
        }

        return _index!;
    }

    /// <summary>
    /// Someone opened their journal: search is likely next, so the index is built in the
    /// background, one batch per timer turn (other calls run between batches).
    /// </summary>
    private void StartIndexWarmUp()
    {
        if (_index is not null || _building is not null)
        {
            return;
        }

        _building = new JournalSearchIndex();
        _buildingAfter = null;
        _warmUp = this.RegisterGrainTimer(
            async cancellationToken =>
            {
                if (_building is not null)
                {
                    await IndexNextBatchAsync(cancellationToken);
                }
            },
            new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(1)) { Interleave = false, KeepAlive = false });
    }

    /// <summary>Indexes the next batch of entries into <see cref="_building"/>.</summary>
    /// <returns>Whether the index is complete (it is then <see cref="_index"/>).</returns>
    private async Task<bool> IndexNextBatchAsync(CancellationToken cancellationToken)
    {
        var building = _building!;
        var batch = await entries.QueryAsync(new RecordQuery(_buildingAfter, Limit: ReadBatch), cancellationToken);
        foreach (var record in batch)
        {
            if (await OpenEntryAsync(record.Key, record.Value, cancellationToken) is { } text)
            {
                building.Put(record.Key, SearchText(text, record.Value.Tags));
            }
        }

        if (batch.Count > 0)
        {
            _buildingAfter = batch[^1].Key;
        }

        if (batch.Count == ReadBatch)
        {
            return false;
        }

        _index = building;
        StopIndexBuild();
        return true;
    }

    private void StopIndexBuild()
    {
        _building = null;
        _buildingAfter = null;
        _warmUp?.Dispose();
        _warmUp = null;
    }

    /// <summary>Keeps the index (or the part of it built so far) in step with a write; entries past the build's position are read by it later.</summary>
    private void IndexPut(string recordKey, SealedText text, IReadOnlyList<string> tags)
    {
        if (_index is not null)
        {
            _index.Put(recordKey, SearchText(text, tags));
        }
        else if (_building is not null && _buildingAfter is not null && string.CompareOrdinal(recordKey, _buildingAfter) <= 0)
        {
            _building.Put(recordKey, SearchText(text, tags));
        }
    }

    private void IndexRemove(string recordKey)
    {
        _index?.Remove(recordKey);
        _building?.Remove(recordKey);
    }

    private async Task<SealedText?> OpenEntryAsync(string recordKey, StoredJournalEntry stored, CancellationToken cancellationToken)
    {
        var key = await DataKeyForReadingAsync(cancellationToken);
        var text = key is null ? null : Open<SealedText>(key, EntriesPurpose, recordKey, stored.Sealed);
        if (text is null)
        {
            JournalLog.EntryUnreadable(logger, UserId, recordKey);
        }

        return text;
    }

    private async Task<JournalDraftView> DraftViewAsync(string recordKey, StoredJournalDraft stored, CancellationToken cancellationToken)
    {
        var key = await DataKeyForReadingAsync(cancellationToken);
        var draft = key is null ? null : Open<SealedDraft>(key, DraftsPurpose, recordKey, stored.Sealed);
        if (draft is null)
        {
            JournalLog.EntryUnreadable(logger, UserId, recordKey);
        }

        return new JournalDraftView(Guid.Parse(recordKey), draft?.Content, stored.SavedAt, draft is null);
    }

    private string Seal<T>(byte[] key, string purpose, string recordKey, T value)
        => JournalCipher.Seal(key, JsonSerializer.SerializeToUtf8Bytes(value, RecordJson.Options), JournalCipher.Binding(purpose, UserId, recordKey));

    private T? Open<T>(byte[] key, string purpose, string recordKey, string sealedText)
        where T : class
    {
        var plaintext = JournalCipher.TryOpen(key, sealedText, JournalCipher.Binding(purpose, UserId, recordKey));
        if (plaintext is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(plaintext, RecordJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The data key, or null when this user has none (nothing written yet, or erased).</summary>
    private async Task<byte[]?> DataKeyForReadingAsync(CancellationToken cancellationToken)
    {
        if (_dataKeyLoaded)
        {
            return _dataKey;
        }

        if (await _keys.GetAsync(UserId, cancellationToken) is { } wrapped)
        {
            _dataKey = masterKeys.TryUnwrap(UserId, wrapped) ?? throw new JournalUnavailableException(
                masterKeys.Knows(wrapped.MasterKeyId)
                    ? "A journal data key does not open with the master key it names: the key row was altered."
                    : $"A journal data key is wrapped by master key {wrapped.MasterKeyId}, which is not configured (MASTER_KEY, or MASTER_KEY_PREVIOUS during a rotation).");
        }

        _dataKeyLoaded = true;
        return _dataKey;
    }

    private async Task<byte[]> DataKeyForWritingAsync()
    {
        if (await DataKeyForReadingAsync(CancellationToken.None) is { } existing)
        {
            return existing;
        }

        var key = JournalMasterKeys.NewDataKey();
        await _keys.PutAsync(UserId, masterKeys.Wrap(UserId, key, clock.GetUtcNow()), CancellationToken.None);
        _dataKey = key;
        _dataKeyLoaded = true;
        return key;
    }

    private void ForgetDataKey()
    {
        if (_dataKey is not null)
        {
            CryptographicOperations.ZeroMemory(_dataKey);
        }

        _dataKey = null;
        _dataKeyLoaded = false;
    }

    private static JournalContent Require(JournalContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return JournalRules.Check(content.Kind, content.Title, content.Body, content.Mood, content.Tags, content.ThoughtRecord, finished: true, Reject)!;
    }

    /// <summary>Defends the stored data; the gateway validates first, so this is not expected to throw.</summary>
    private static void Reject(string field, string message) => throw new ArgumentException(message, field);

    private static bool SameThoughtRecord(ThoughtRecord? a, ThoughtRecord? b)
        => a is null || b is null
            ? a is null && b is null
            : a with { Distortions = null } == b with { Distortions = null } && (a.Distortions ?? []).SequenceEqual(b.Distortions ?? [], StringComparer.Ordinal);

    private static double CompoundOf(SealedText text) => Vader.Compound(SentimentText(text));

    private static string SentimentText(SealedText text)
    {
        var parts = new List<string?> { text.Title, text.Body };
        if (text.ThoughtRecord is { } record)
        {
            parts.AddRange([record.Situation, record.AutomaticThought, record.Emotion, record.BalancedThought]);
        }

        return string.Join('\n', parts.Where(p => !string.IsNullOrWhiteSpace(p)));
    }

    private static string SearchText(SealedText text, IReadOnlyList<string> tags)
    {
        var parts = new List<string?> { text.Title, text.Body };
        if (text.ThoughtRecord is { } record)
        {
            parts.AddRange([record.Situation, record.AutomaticThought, record.Emotion, record.EvidenceFor, record.EvidenceAgainst, record.BalancedThought]);
        }

        parts.AddRange(tags);
        return string.Join('\n', parts.Where(p => !string.IsNullOrWhiteSpace(p)));
    }

    /// <summary>1 to 5 from a compound score; VADER's own neutral band is ±0.05.</summary>
    public static int MoodOf(double compound) => compound switch
    {
        <= -0.5 => 1,
        <= -0.05 => 2,
        < 0.05 => 3,
        < 0.5 => 4,
        _ => 5,
    };

    private static JournalEntryView View(Guid id, StoredJournalEntry stored, SealedText? text)
        => new(
            id,
            stored.Kind,
            text?.Title,
            text?.Body,
            text?.ThoughtRecord,
            stored.Mood,
            text is null ? null : new SuggestedMood(MoodOf(stored.Compound), stored.Compound),
            stored.Tags,
            stored.CreatedAt,
            stored.UpdatedAt,
            Unreadable: text is null,
            LocalDate: UserUtcOffsets.LocalDateOf(stored.CreatedAt, stored.UtcOffsetMinutes),
            UtcOffsetMinutes: stored.UtcOffsetMinutes ?? 0);

    private static async Task<List<KeyedRecord<T>>> ReadAllAsync<T>(IRecordCollection<T> collection, CancellationToken cancellationToken)
    {
        var all = new List<KeyedRecord<T>>();
        string? after = null;
        while (true)
        {
            var batch = await collection.QueryAsync(new RecordQuery(after, Limit: ReadBatch), cancellationToken);
            all.AddRange(batch);
            if (batch.Count < ReadBatch)
            {
                return all;
            }

            after = batch[^1].Key;
        }
    }
}

internal static partial class JournalLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Journal record {RecordKey} of user {UserId} failed its integrity check and was not served")]
    public static partial void EntryUnreadable(ILogger logger, Guid userId, string recordKey);
}
