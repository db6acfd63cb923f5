using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using Mindspace.Grains.Interfaces.Mindfulness;

namespace Mindspace.Gateway.Mindfulness;

/// <summary>The audio of a built-in meditation: a WAV file and its strong entity tag.</summary>
public sealed record GeneratedAudio(byte[] Bytes, EntityTagHeaderValue ETag);

/// <summary>
/// The built-in meditations' audio, generated on first use and kept in memory: soft bells (a few
/// decaying partials) and, for the breathing space, a quiet tone that swells over four seconds and
/// fades over six. Pure arithmetic, no randomness and no files, so every start makes the same bytes
/// (and the same ETag). Mono 16-bit PCM at 8 kHz: small, and plenty for tones. Licence CC0-1.0.
/// </summary>
public static class MeditationAudio
{
    public const string ContentType = "audio/wav";
    public const int SampleRate = 8_000;

    /// <summary>When the generator last changed: the Last-Modified of every generated file.</summary>
    public static readonly DateTimeOffset LastModified = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private const double BellSeconds = 3.5;

    private static readonly ConcurrentDictionary<string, Lazy<GeneratedAudio>> Cache = new(StringComparer.Ordinal);

    /// <summary>What each meditation sounds like: bells at these seconds, and whether a breathing tone runs throughout.</summary>
    private static readonly Dictionary<string, (int[] Bells, bool Breathing)> Scores = new(StringComparer.Ordinal)
    {
        ["one-minute-pause"] = ([0, 56], false),
        ["breathing-space"] = ([0, 60, 120, 176], true),
        ["body-rest"] = ([0, 60, 120, 180, 240, 296], false),
    };

    /// <summary>The audio of a catalogue meditation; null when there is none with this id.</summary>
    public static GeneratedAudio? Find(string id)
        => MindfulnessCatalogue.FindMeditation(id) is { } meditation && Scores.ContainsKey(id)
            ? Cache.GetOrAdd(id, key => new Lazy<GeneratedAudio>(() => Generate(key, meditation.DurationSeconds))).Value
            : null;

    private static GeneratedAudio Generate(string id, int seconds)
    {
        var (bells, breathing) = Scores[id];
        var samples = new double[seconds * SampleRate];
        if (breathing)
        {
            AddBreathing(samples);
        }

        foreach (var at in bells)
        {
            AddBell(samples, at * SampleRate);
        }

        var bytes = Wav(samples);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12));
        return new GeneratedAudio(bytes, new EntityTagHeaderValue($"\"{id}-{hash}\""));
    }

    /// <summary>A bowl-like bell: a fundamental and two inharmonic partials, each decaying at its own rate.</summary>
    private static void AddBell(double[] samples, int start)
    {
        var length = Math.Min((int)(BellSeconds * SampleRate), samples.Length - start);
        for (var i = 0; i < length; i++)
        {
            var t = (double)i / SampleRate;
            var attack = Math.Min(1, t / 0.01);
            samples[start + i] += attack * (
                (0.30 * Math.Exp(-t * 1.2) * Math.Sin(2 * Math.PI * 528 * t)) +
                (0.12 * Math.Exp(-t * 2.0) * Math.Sin(2 * Math.PI * 528 * 2.76 * t)) +
                (0.05 * Math.Exp(-t * 3.5) * Math.Sin(2 * Math.PI * 528 * 5.40 * t)));
        }
    }

    /// <summary>A low tone that rises for four seconds and fades for six, over and over.</summary>
    private static void AddBreathing(double[] samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / SampleRate;
            var phase = t % 10;
            var envelope = phase < 4 ? Math.Sin(Math.PI / 2 * phase / 4) : Math.Cos(Math.PI / 2 * (phase - 4) / 6);
            samples[i] += 0.10 * envelope * envelope * Math.Sin(2 * Math.PI * 196 * t);
        }
    }

    /// <summary>A canonical 44-byte RIFF/WAVE header and little-endian 16-bit samples, with short fades at both ends.</summary>
    private static byte[] Wav(double[] samples)
    {
        const int Header = 44;
        var fade = SampleRate / 20;
        var data = samples.Length * 2;
        var bytes = new byte[Header + data];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], Header - 8 + data);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], SampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], data);
        for (var i = 0; i < samples.Length; i++)
        {
            var gain = Math.Min(1.0, Math.Min(i, samples.Length - 1 - i) / (double)fade);
            var value = (short)Math.Round(Math.Clamp(samples[i] * gain, -1, 1) * short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(span[(Header + (2 * i))..], value);
        }

        return bytes;
    }
}
