// Seed content: six plain-language evidence articles for Unclench.
//
// Every reference below was checked against stored public copies of the
// source (PubMed / PMC / Cochrane Library / publisher / regulator pages).
// The comment above each reference says how it was confirmed. Only
// identifiers (DOI, PMID, URL) that were seen in those sources are used.

import { and, eq, inArray } from "drizzle-orm";
import { nextPinPosition } from "../app/models/article-pins.server.ts";
import { renderArticleBody } from "../app/models/article-references.server.ts";
import { db, type Tx } from "./client.ts";
import { type ArticleReference, articleBoards, articles, boards } from "./schema.ts";

export type SeedArticle = {
  slug: string;
  title: string;
  summary: string;
  boardSlugs: string[];
  author: string;
  reviewer: string;
  lastReviewedAt: string;
  nextReviewDueAt: string;
  body: string;
  references: ArticleReference[];
};

const AUTHOR = "Unclench editorial team";
const REVIEWER = "Unclench editorial team (lay review; not yet clinically reviewed)";
const LAST_REVIEWED = "2026-11-01";
const NEXT_REVIEW = "2027-11-01";

// ---------------------------------------------------------------------------
// Shared references (used by more than one article)
// ---------------------------------------------------------------------------

// confirmed: search pages — nice.org.uk/guidance/ng220 pages, the NICE PDF
// ("Published: 22 June 2022") and the NCBI Bookshelf copy all show this title.
const NICE_NG220: ArticleReference = {
  authors: "National Institute for Health and Care Excellence (NICE)",
  title: "Multiple sclerosis in adults: management (NICE guideline NG220)",
  source: "NICE",
  year: 2022,
  url: "https://www.nice.org.uk/guidance/ng220",
};

// confirmed: search pages — PubMed mirror page for PMID 20177124 shows this
// title and DOI 10.1212/WNL.0b013e3181d0ccca; Stanford listing and the
// Neurology PDF give Katzberg, Khan, So, Neurology 2010;74(8):691-696.
const KATZBERG_2010: ArticleReference = {
  authors: "Katzberg HD, Khan AH, So YT.",
  title:
    "Assessment: symptomatic treatment for muscle cramps (an evidence-based review): report of the Therapeutics and Technology Assessment Subcommittee of the American Academy of Neurology",
  source: "Neurology",
  year: 2010,
  doi: "10.1212/WNL.0b013e3181d0ccca",
  pmid: "20177124",
};

// confirmed: search pages — PubMed mirror (PMID 22963024) shows the title and
// abstract; the AFP article text gives Allen RE, Kirby KA,
// Am Fam Physician 2012;86(4):350-355.
const ALLEN_KIRBY_2012: ArticleReference = {
  authors: "Allen RE, Kirby KA.",
  title: "Nocturnal leg cramps",
  source: "American Family Physician",
  year: 2012,
  pmid: "22963024",
};

// confirmed: search pages — togows PubMed record PMID 33998664 shows this
// title and DOI 10.1002/14651858.CD008496.pub3 (2021 May 17); the author list
// (Hawke, Sadler, Katzberg, Pourkazemi, Chuter, Burns) is from the OUCI
// record for the same DOI. This is the 2021 update of the Blyton et al. 2012
// Cochrane review "Non-drug therapies for lower limb muscle cramps".
const HAWKE_2021: ArticleReference = {
  authors: "Hawke F, Sadler SG, Katzberg HD, Pourkazemi F, Chuter V, Burns J.",
  title: "Non-drug therapies for the secondary prevention of lower limb muscle cramps",
  source: "Cochrane Database of Systematic Reviews",
  year: 2021,
  doi: "10.1002/14651858.CD008496.pub3",
  pmid: "33998664",
};

// confirmed: search pages — Ann Rheum Dis extended report and PubMed page
// (PMID 27377815): Ann Rheum Dis 2017;76(2):318-328,
// doi 10.1136/annrheumdis-2016-209724, first authors Macfarlane, Kronisch, Dean.
const MACFARLANE_2017: ArticleReference = {
  authors: "Macfarlane GJ, Kronisch C, Dean LE, et al.",
  title: "EULAR revised recommendations for the management of fibromyalgia",
  source: "Annals of the Rheumatic Diseases",
  year: 2017,
  doi: "10.1136/annrheumdis-2016-209724",
  pmid: "27377815",
};

// confirmed: search pages — metajournal record gives title, authors
// (Coffey, Edgar, Francisco, Graziani, Meythaler, Ridgely, Sadiq, Turner) and
// Arch Phys Med Rehabil 2002 Jun;83(6):735-41; the PMID 12048649 was seen with
// the same title in a public repository note (find_string). No DOI confirmed,
// so none is given.
const COFFEY_2002: ArticleReference = {
  authors: "Coffey RJ, Edgar TS, Francisco GE, et al.",
  title: "Abrupt withdrawal from intrathecal baclofen: recognition and management of a potentially life-threatening syndrome",
  source: "Archives of Physical Medicine and Rehabilitation",
  year: 2002,
  pmid: "12048649",
};

// confirmed: search pages — PubMed record (linked as access_num=8421205) shows
// J Neurosurg 1993 Feb;78(2):226-32, doi 10.3171/jns.1993.78.2.0226; the OHSU
// listing gives the author list starting Coffey RJ, Cahill D, Steers W.
const COFFEY_1993: ArticleReference = {
  authors: "Coffey RJ, Cahill D, Steers W, et al.",
  title: "Intrathecal baclofen for intractable spasticity of spinal origin: results of a long-term multicenter study",
  source: "Journal of Neurosurgery",
  year: 1993,
  doi: "10.3171/jns.1993.78.2.0226",
  pmid: "8421205",
};

// ---------------------------------------------------------------------------
// 1. MS spasticity and spasms
// ---------------------------------------------------------------------------

const msSpasticity: SeedArticle = {
  slug: "ms-spasticity-and-spasms",
  title: "Spasticity and spasms in MS: what they are and what helps",
  summary:
    "Stiff muscles and sudden spasms are common in multiple sclerosis. This guide explains what they are, the everyday things that can make them worse, and the main treatments, from stretching and physiotherapy to medicines and a baclofen pump.",
  boardSlugs: ["ms-spasticity"],
  author: AUTHOR,
  reviewer: REVIEWER,
  lastReviewedAt: LAST_REVIEWED,
  nextReviewDueAt: NEXT_REVIEW,
  body: `Many people with multiple sclerosis (MS) live with stiff, tight muscles. Some also get sudden jerks or spasms, often at night. If that is you, you are far from alone. This guide explains what is going on and what tends to help.

## What spasticity and spasms are

MS damages the nerves in the brain and spinal cord. These nerves normally tell muscles when to relax. When the messages get scrambled, some muscles stay tighter than they should. Doctors call this **spasticity** (muscle stiffness that gets worse when the muscle is stretched or moved quickly).

A **spasm** is a sudden, strong tightening that you did not choose. A leg may kick out or pull up towards your body. Spasms can be painful. They can also wake you up.

Spasticity is not always bad news. Some people rely on a bit of stiffness to help them stand or move from a chair. That is why the aim is usually to reduce it to a level that works for you, not to remove it completely.

## Common triggers

Spasticity often flares up when something else is bothering the body. MS guidance advises looking for things that make spasticity worse, such as infections, constipation and pain, and treating them [1]. Common triggers include:

- **Infections**, especially bladder (urine) infections and colds.
- **Bladder problems**, such as a full bladder or a catheter that is not draining well.
- **Constipation**, which is very common in MS.
- **Pain** anywhere in the body, including pressure sores and ingrown toenails.
- **Tight clothing**, shoes, straps or poorly fitting aids.
- **Heat**, such as hot weather, hot baths or a fever.
- **Tiredness** and poor sleep.

A sudden increase in stiffness can be a clue that something like an infection is brewing. It is worth mentioning to your MS team.

## Stretching and physiotherapy

Moving your joints and stretching your muscles every day is the usual starting point. A physiotherapist (a specialist in movement and exercise) can show you stretches that suit your body. They can also help with posture, seating and positioning in bed.

A Cochrane review looked at non-drug treatments for MS spasticity. The studies were small and mostly low quality. Still, some suggested that exercise programmes can help. Physiotherapy after botulinum toxin injections also looked useful [3].

Practical tips many members share:

- Stretch slowly and hold each stretch. Bouncing can set off spasms.
- Build stretching into routines, such as after a shower or before bed.
- Change position often during the day.

## Medicines

Several medicines can calm spasticity. Two of the most common are:

- **Baclofen**, taken as tablets or liquid.
- **Tizanidine**, another tablet.

Other options include gabapentin and dantrolene. NICE, the UK body that writes health guidelines, lists these as options for MS spasticity [1]. Each can cause side effects such as sleepiness, dizziness or weakness. Doses are usually started low and built up slowly.

A Cochrane review of these medicines found that the trials were small and measured results in different ways. So the review could not say which one works best [2]. In practice, finding the right medicine and dose often takes some trial and adjustment with your clinician. Please do not change or stop any of these medicines on your own. Stopping baclofen suddenly can cause serious problems, especially with a baclofen pump [5].

## Botulinum toxin injections

When only a few muscles are the problem, botulinum toxin (often known by a brand name, Botox) can be injected into those muscles. It relaxes them for a few months. It works best alongside stretching and physiotherapy [3].

## Baclofen pump (intrathecal baclofen)

For severe spasticity that tablets do not control, a small pump can be placed under the skin of the belly. It sends baclofen straight into the fluid around the spinal cord. This is called **intrathecal** baclofen. Because the medicine goes right where it is needed, much smaller doses are used.

In a long-term study of people with MS or spinal cord injury, the pump greatly reduced stiffness and spasms [4]. The pump needs regular refills and checks. It must never be allowed to run out, as suddenly stopping can make you very unwell [5].

## When to talk to a clinician

Reach out to your GP, MS nurse or neurologist if:

- Your stiffness or spasms get worse quickly, especially with a fever or burning when you pee.
- Spasms are stopping you from sleeping, moving or looking after yourself.
- A medicine is causing side effects that bother you.
- You have a baclofen pump and notice an alarm, returning stiffness, itching, fever or confusion. Seek urgent help for this.

Bringing a short diary of your spasms and possible triggers can make the appointment much more useful.`,
  references: [
    NICE_NG220,
    // confirmed: search pages — Cochrane Library page for DOI
    // 10.1002/14651858.CD001332 shows the 2003 update (searches to June 2003);
    // JoVE index page 14583932 lists "Anti-spasticity agents for multiple
    // sclerosis", Shakespeare DT, Boggild M, Young C, CDSR, 30 Oct 2003.
    // (The brief's wording "Treatment for spasticity in MS" is not the real
    // title; the real title is used here.)
    {
      authors: "Shakespeare DT, Boggild M, Young C.",
      title: "Anti-spasticity agents for multiple sclerosis",
      source: "Cochrane Database of Systematic Reviews",
      year: 2003,
      doi: "10.1002/14651858.CD001332",
      pmid: "14583932",
    },
    // confirmed: search pages — Wiley/Cochrane "How to Cite" block and PubMed
    // mirror (PMID 23450612): Amatya B, Khan F, La Mantia L, Demetrios M,
    // Wade DT, CDSR 2013 Issue 2, CD009974, doi 10.1002/14651858.CD009974.pub2.
    {
      authors: "Amatya B, Khan F, La Mantia L, Demetrios M, Wade DT.",
      title: "Non pharmacological interventions for spasticity in multiple sclerosis",
      source: "Cochrane Database of Systematic Reviews",
      year: 2013,
      doi: "10.1002/14651858.CD009974.pub2",
      pmid: "23450612",
    },
    COFFEY_1993,
    COFFEY_2002,
  ],
};

// ---------------------------------------------------------------------------
// 2. Fibromyalgia and muscle cramps
// ---------------------------------------------------------------------------

const fibromyalgia: SeedArticle = {
  slug: "fibromyalgia-and-muscle-cramps",
  title: "Fibromyalgia, muscle pain and cramps: what science says and what helps",
  summary:
    "Fibromyalgia can make muscles ache, tighten and cramp. This guide explains central sensitisation (a nervous system that turns pain up too high) in plain words, and the self-care steps with the best evidence: gentle exercise, sleep habits, pacing and talking therapies.",
  boardSlugs: ["fibromyalgia"],
  author: AUTHOR,
  reviewer: REVIEWER,
  lastReviewedAt: LAST_REVIEWED,
  nextReviewDueAt: NEXT_REVIEW,
  body: `Fibromyalgia causes pain in many parts of the body. It often comes with tiredness, poor sleep and "brain fog". Many people also describe stiff, tight muscles, twitches or cramp-like pain. Tests often come back normal, which can feel lonely and confusing. Your pain is real. Here is what research can tell us, and what tends to help.

## Why does it hurt so much?

Scientists think a big part of fibromyalgia is **central sensitisation**. "Central" means the brain and spinal cord. "Sensitisation" means becoming more sensitive.

A simple way to picture it: your nervous system has a volume knob for pain. In central sensitisation, that knob is turned up too high. Signals that would normally feel like mild pressure can feel painful. Pain can also spread and last longer than expected [1].

Researchers have found signs of this extra sensitivity in people with fibromyalgia and several other long-term pain conditions [1]. This does not mean the pain is "in your head". It means the pain system itself is working differently.

The good news is that this kind of sensitivity can change. Many of the approaches below aim to gently turn the volume back down.

## What about cramps?

Muscle cramps and tightness are a common complaint in fibromyalgia. But there is not much research on true cramps in this condition. If you have frequent cramps, it is worth asking a clinician to check for other causes too. These include some medicines, low thyroid, or nerve problems. Our article on night and leg cramps has more on this.

## What the evidence supports

In 2017, a European group of experts (EULAR) reviewed the research on fibromyalgia care. They said treatment should start with learning about the condition and with non-drug approaches [2].

### Exercise, started gently

Exercise was the only treatment that got a **strong** recommendation from EULAR [2]. Aerobic exercise is activity that makes you a little out of breath, like brisk walking, cycling or water exercise. A Cochrane review found it probably improves quality of life and may ease pain a little [3].

The key is to start low and build up slowly. That could mean five minutes of walking, a few times a week. Add a little more every week or two. A flare after doing too much is common. It is a signal to ease back, not to give up.

### Talking therapies

Cognitive behavioural therapy (CBT) is a talking therapy. It helps you notice patterns in thoughts, feelings and habits, and try new ways of coping. A Cochrane review found that CBT gave small improvements in pain, mood and day-to-day function [4]. EULAR suggests it, especially for people who also have low mood or find pain hard to cope with [2].

### Mind-body movement

EULAR also suggests gentle movement practices such as tai chi, qigong and yoga. It lists mindfulness as an option too [2].

### Pacing

Pacing means planning your activity so you do not swing between "boom" days and "bust" days. Many people find it helps. Ideas include:

- Break big jobs into small chunks with rests in between.
- Stop while you still feel OK, rather than pushing until you crash.
- Keep a rough daily plan, even on good days.

There is less formal research on pacing alone. But it fits well with graded exercise and CBT approaches.

### Sleep

Poor sleep and pain feed each other. Helpful habits include:

- Keep the same wake-up time every day.
- Make the bedroom cool, dark and quiet.
- Wind down for 30 minutes before bed, away from screens.
- Limit caffeine after midday and avoid long naps.

If sleep stays poor, tell your clinician. Sleep problems can be treated.

## About medicines

Some medicines can help some people with fibromyalgia. EULAR suggests they are used alongside the steps above, not instead of them [2]. Talk with your clinician about what might suit you. Please do not start, stop or change a medicine on your own.

## When to talk to a clinician

Contact your GP or specialist if:

- You have new symptoms, such as muscle weakness, swollen joints, rashes, fevers or weight loss.
- Cramps are frequent, severe, or only in one area.
- Pain, low mood or poor sleep are getting worse.
- You would like a referral for physiotherapy, a pain service or CBT.

If you ever feel hopeless or think about harming yourself, please seek help straight away.`,
  references: [
    // confirmed: search pages — PMC author manuscript PMC3268359 and the Pain
    // PDF: Woolf CJ, Pain 2011;152(3 Suppl):S2-S15,
    // doi 10.1016/j.pain.2010.09.030, PMID 20961685.
    {
      authors: "Woolf CJ.",
      title: "Central sensitization: implications for the diagnosis and treatment of pain",
      source: "Pain",
      year: 2011,
      doi: "10.1016/j.pain.2010.09.030",
      pmid: "20961685",
    },
    MACFARLANE_2017,
    // confirmed: search pages — PMC6481524 (Cochrane Database Syst Rev
    // 2017 Jun 21; CD012700): Bidonde J, Busch AJ, Schachter CL, et al.,
    // doi 10.1002/14651858.CD012700, PMID 28636204.
    {
      authors: "Bidonde J, Busch AJ, Schachter CL, et al.",
      title: "Aerobic exercise training for adults with fibromyalgia",
      source: "Cochrane Database of Systematic Reviews",
      year: 2017,
      doi: "10.1002/14651858.CD012700",
      pmid: "28636204",
    },
    // confirmed: search pages — Wiley Online Library "How to Cite" block:
    // Bernardy K, Klose P, Busch AJ, Choy EHS, Häuser W, CDSR 2013 Issue 9,
    // CD009796, doi 10.1002/14651858.CD009796.pub2. (PMID not confirmed, so
    // not given.)
    {
      authors: "Bernardy K, Klose P, Busch AJ, Choy EHS, Häuser W.",
      title: "Cognitive behavioural therapies for fibromyalgia",
      source: "Cochrane Database of Systematic Reviews",
      year: 2013,
      doi: "10.1002/14651858.CD009796.pub2",
    },
  ],
};

// ---------------------------------------------------------------------------
// 3. Nerve-related cramps
// ---------------------------------------------------------------------------

const nerveCramps: SeedArticle = {
  slug: "nerve-related-cramps",
  title: "Cramps caused by nerve conditions: neuropathy, MS, ALS and spinal cord injury",
  summary:
    "Cramps and spasms are common when nerves are damaged, for example in neuropathy, MS, ALS (motor neurone disease) or after a spinal cord injury. This guide explains why, and gives an honest look at how strong the evidence is for treatments such as mexiletine, gabapentin and carbamazepine.",
  boardSlugs: ["neuropathy"],
  author: AUTHOR,
  reviewer: REVIEWER,
  lastReviewedAt: LAST_REVIEWED,
  nextReviewDueAt: NEXT_REVIEW,
  body: `When nerves are damaged, muscles can cramp or spasm more easily. This happens in many conditions. This guide covers four of them and looks honestly at what the research shows.

## Why nerve damage causes cramps

A cramp is a sudden, painful tightening of a muscle that you cannot control. Most cramps start in the nerves, not the muscle itself. When a nerve is damaged, it can become "jumpy" and fire off signals on its own. Those extra signals can set off a cramp [1].

Two types of nerve damage matter here:

- **Peripheral nerves** run from the spine out to the arms and legs. Damage here can cause true cramps.
- **The brain and spinal cord** (the central nervous system). Damage here tends to cause **spasticity** (stiffness) and **spasms** (sudden jerks or pulls).

## Conditions where this is common

### Peripheral neuropathy

Neuropathy means damage to the peripheral nerves. Diabetes is a common cause. Others include low vitamin B12, some cancer treatments, alcohol and inherited conditions. Along with numbness, tingling or burning, many people get cramps in the feet and calves. Treating the cause, where possible, is an important first step [1].

### Multiple sclerosis (MS)

In MS, the main problems are usually spasticity and spasms rather than classic cramps. Infections, constipation, a full bladder and pain can all make them worse. Our MS article covers this in more detail.

### ALS (motor neurone disease)

ALS, also called MND, damages the nerve cells that control muscles. Cramps are very common. Researchers report that more than 9 in 10 people with ALS get them [3].

### Spinal cord injury

After a spinal cord injury, spasms and stiffness below the injury are common. Treatments are similar to those used in MS. For severe spasms, a pump that delivers baclofen into the spinal fluid has been shown to help [6].

## What helps: non-drug steps

- **Stretching** the affected muscle, gently and often.
- **Moving** regularly and changing position.
- **Checking triggers** such as dehydration, some medicines, infections and pain.

These are low-risk and worth trying first, although there is not much strong research on them for nerve-related cramps [1].

## Medicines: how strong is the evidence?

This is an area where the evidence is often weaker than people expect. Here is an honest summary.

### Mexiletine

Mexiletine is a medicine first made for heart rhythm problems. It calms overactive nerve signals. It has the best evidence of any medicine for cramps in ALS:

- In a trial of 60 people with ALS, mexiletine reduced how often cramps happened and how strong they were. The higher dose was harder to take: about a third of people on it stopped [2].
- In a second, smaller trial of 20 people with ALS, cramps dropped from about 5 a day to about 3.5 a day [3].

These are small studies, and both were in ALS only. Mexiletine can cause dizziness and stomach upset. As a heart rhythm medicine, it needs specialist supervision.

### Carbamazepine

Carbamazepine is an anti-seizure medicine. A review of nerve-related cramps lists it among treatments with some supporting evidence [1]. But the studies are small and older. It also has side effects and interacts with many other medicines.

### Gabapentin and pregabalin

These are widely used for nerve pain. For cramps, the evidence is thin. A Cochrane review of cramp treatments in ALS found no clear benefit from any medicine tested, including gabapentin. Many of those trials were too small to be sure [5]. We did not find strong trials of pregabalin for cramps.

### Other options

A 2010 review for the American Academy of Neurology looked at cramps in general. It found a few options "possibly effective", such as diltiazem (a blood pressure medicine) and vitamin B complex. It advised against routine use of quinine because of serious side effects [4].

Decisions about any of these medicines belong with your clinician. Please do not start, stop or change a medicine yourself.

## When to talk to a clinician

See your GP or specialist if:

- Cramps are new, frequent or getting worse.
- You also notice weakness, muscle wasting, twitching under the skin, or numbness.
- Cramps are stopping you from sleeping or doing daily tasks.
- You think a medicine might be causing cramps.

Keeping a simple cramp diary for two weeks can help your clinician see patterns.`,
  references: [
    // confirmed: search pages — Springer page for doi 10.1007/s00415-015-7659-x
    // and the article PDF: Katzberg HD, "Neurogenic muscle cramps", J Neurol,
    // review, accepted 29 January 2015. (PMID not confirmed, so not given.)
    {
      authors: "Katzberg HD.",
      title: "Neurogenic muscle cramps",
      source: "Journal of Neurology",
      year: 2015,
      doi: "10.1007/s00415-015-7659-x",
    },
    // confirmed: search pages — PMC4836879: Weiss MD, Macklin EA, Simmons Z,
    // et al., Neurology 2016;86(16):1474-1481, doi 10.1212/WNL.0000000000002507,
    // PMID 26911633.
    {
      authors: "Weiss MD, Macklin EA, Simmons Z, et al.",
      title: "A randomized trial of mexiletine in ALS: safety and effects on muscle cramps and progression",
      source: "Neurology",
      year: 2016,
      doi: "10.1212/WNL.0000000000002507",
      pmid: "26911633",
    },
    // confirmed: search pages — PubMed page PMID 29510461 and publisher
    // listing: Oskarsson B, Moore D, Mozaffar T, et al., Muscle Nerve
    // 2018;58:42-48, doi 10.1002/mus.26117.
    {
      authors: "Oskarsson B, Moore D, Mozaffar T, et al.",
      title: "Mexiletine for muscle cramps in amyotrophic lateral sclerosis: a randomized, double-blind crossover trial",
      source: "Muscle & Nerve",
      year: 2018,
      doi: "10.1002/mus.26117",
      pmid: "29510461",
    },
    KATZBERG_2010,
    // confirmed: search pages — Wiley "How to Cite" block: Baldinger R,
    // Katzberg HD, Weber M, CDSR 2012 Issue 4, CD004157,
    // doi 10.1002/14651858.CD004157.pub2. (PMID not confirmed, so not given.)
    {
      authors: "Baldinger R, Katzberg HD, Weber M.",
      title: "Treatment for cramps in amyotrophic lateral sclerosis/motor neuron disease",
      source: "Cochrane Database of Systematic Reviews",
      year: 2012,
      doi: "10.1002/14651858.CD004157.pub2",
    },
    COFFEY_1993,
  ],
};

// ---------------------------------------------------------------------------
// 4. Night and leg cramps
// ---------------------------------------------------------------------------

const nightCramps: SeedArticle = {
  slug: "night-and-leg-cramps",
  title: "Night-time leg cramps: causes, stretching, magnesium and quinine",
  summary:
    "Night-time leg cramps are very common, especially as we get older. This guide covers likely causes and risk factors, stretching, what the research says about magnesium, and why quinine is no longer recommended.",
  boardSlugs: ["night-leg-cramps"],
  author: AUTHOR,
  reviewer: REVIEWER,
  lastReviewedAt: LAST_REVIEWED,
  nextReviewDueAt: NEXT_REVIEW,
  body: `You are fast asleep, and suddenly your calf locks into a hard, painful knot. Night-time leg cramps are very common. Up to six in ten adults say they have had them [1]. They can ruin sleep and leave the muscle sore the next day. Here is what is known.

## What is a night cramp?

A night cramp is a sudden, painful tightening of a leg muscle while you rest or sleep. It most often hits the calf or foot. It usually lasts from a few seconds to a few minutes. Doctors call cramps with no clear cause **idiopathic**, which simply means "cause unknown".

Night cramps are different from restless legs. Restless legs feel like an urge to move, not a hard, locked muscle.

## Causes and risk factors

The exact cause is not known. Muscle tiredness and overactive nerves probably play a part. Low salts in the blood are a less common cause than people think [1].

Cramps are more common with [1]:

- Older age.
- Pregnancy.
- Blood flow problems in the legs.
- Narrowing of the spine in the lower back (lumbar spinal stenosis).
- Liver disease (cirrhosis) and kidney dialysis.
- Some medicines. Our article on medicines that can cause cramps has more detail.

## What to do during a cramp

- Stretch the muscle. For a calf cramp, pull your toes up towards your knee, or stand and press your heel to the floor.
- Walk around or jiggle the leg.
- Rub the muscle, or use a warm towel once the worst has passed.

## Stretching to prevent cramps

A Cochrane review looked at non-drug treatments. It found low-certainty evidence that stretching the calves and the backs of the thighs every day for six weeks may make night cramps less painful in people over 55. It was less clear whether stretching makes cramps happen less often [2].

Stretching is cheap and safe for most people, so many find it worth a try. A simple routine before bed:

1. Stand facing a wall, with your hands on the wall.
2. Step one foot back, keeping that heel on the floor and the knee straight.
3. Lean forward until you feel a stretch in the calf. Hold for about 20 to 30 seconds.
4. Repeat three times on each leg.

Other sensible steps include drinking enough fluid and keeping bedding loose over your feet.

## What about magnesium?

Magnesium is often sold for cramps. A 2020 Cochrane review pulled together the trials. For typical night cramps in older adults, magnesium is **unlikely** to give a useful benefit. It did not clearly reduce how often cramps happened, how bad they were, or how long they lasted [3].

For cramps in pregnancy, the results were mixed and uncertain. There were no good trials for cramps during exercise [3]. Magnesium can cause diarrhoea and upset stomach. If you have kidney problems, ask before taking it.

## Why quinine is no longer recommended

Quinine (the bitter ingredient in tonic water) was used for cramps for many years. A Cochrane review found that quinine tablets do reduce cramps a little, by roughly a quarter on average [4]. But the side effects can be serious.

In 2010, the US Food and Drug Administration (FDA) warned that quinine should not be used for night-time leg cramps. It had received reports of serious blood problems, including a drop in the cells that help blood clot, and kidney damage. Some people were admitted to hospital and some died [5]. The American Academy of Neurology also advised against routine use of quinine for cramps [6].

Some people still take quinine under close medical supervision, when nothing else works. That is a decision only you and your clinician can make together. If you take quinine now, do not stop or change it on your own. Talk with your clinician first.

## When to talk to a clinician

See your GP if:

- Cramps happen often, are very painful, or stop you from sleeping.
- You also have leg swelling, redness, or warmth. A painful, swollen calf can be a blood clot and needs urgent care.
- You have muscle weakness, numbness, or muscle wasting.
- Cramps started after a new medicine.
- Cramps happen during the day as well, or in other parts of the body.`,
  references: [
    ALLEN_KIRBY_2012,
    HAWKE_2021,
    // confirmed: search pages — Cochrane Library pages for
    // doi 10.1002/14651858.CD009402.pub3 and a citation giving
    // Garrison SR, Korownyk CS, Kolber MR, et al., Cochrane Database Syst Rev
    // 2020 Sep 21;9:CD009402; PMID 32956536 confirmed via find_string in
    // several public repositories pairing it with this title and DOI.
    {
      authors: "Garrison SR, Korownyk CS, Kolber MR, et al.",
      title: "Magnesium for skeletal muscle cramps",
      source: "Cochrane Database of Systematic Reviews",
      year: 2020,
      doi: "10.1002/14651858.CD009402.pub3",
      pmid: "32956536",
    },
    // confirmed: search pages — PMC11055607: "Quinine for muscle cramps",
    // El-Tawil S, Al Musa T, Valli H, Lunn MPT, Brassington R, El-Tawil T,
    // Weber M; CDSR 2015 Apr 5; doi 10.1002/14651858.CD005044.pub3,
    // PMID 25842375.
    {
      authors: "El-Tawil S, Al Musa T, Valli H, Lunn MPT, Brassington R, El-Tawil T, Weber M.",
      title: "Quinine for muscle cramps",
      source: "Cochrane Database of Systematic Reviews",
      year: 2015,
      doi: "10.1002/14651858.CD005044.pub3",
      pmid: "25842375",
    },
    // confirmed: search pages — fda.gov page (stored copy at this path) titled
    // "FDA Drug Safety Communication: New risk management plan and patient
    // Medication Guide for Qualaquin (quinine sulfate)", dated 07-08-2010.
    {
      authors: "US Food and Drug Administration",
      title: "FDA Drug Safety Communication: New risk management plan and patient Medication Guide for Qualaquin (quinine sulfate)",
      source: "US Food and Drug Administration",
      year: 2010,
      url: "https://www.fda.gov/Drugs/DrugSafety/PostmarketDrugSafetyInformationforPatientsandProviders/ucm218202.htm",
    },
    KATZBERG_2010,
  ],
};

// ---------------------------------------------------------------------------
// 5. Medicines that can cause cramps
// ---------------------------------------------------------------------------

const medicines: SeedArticle = {
  slug: "medicines-that-can-cause-cramps",
  title: "Medicines that can cause cramps, and why stopping suddenly can backfire",
  summary:
    "Some common medicines, such as water tablets, statins and some inhalers, are linked to cramps. Muscle relaxants like baclofen can also cause worse spasms if stopped suddenly. Here is what to know, and how to talk to your clinician safely.",
  boardSlugs: ["medications"],
  author: AUTHOR,
  reviewer: REVIEWER,
  lastReviewedAt: LAST_REVIEWED,
  nextReviewDueAt: NEXT_REVIEW,
  body: `Sometimes cramps are a side effect of a medicine. Sometimes they come from stopping a medicine too fast. Knowing this can help you have a better talk with your clinician. It is **not** a reason to stop anything on your own. Many of these medicines protect your heart, lungs or nerves.

## Why medicines can cause cramps

Medicines can affect cramps in a few ways:

- Changing the balance of water and salts in the body.
- Affecting how muscle cells make and use energy.
- Making nerves more "jumpy".

Often the link is not certain. Cramps are common anyway, so it can be hard to tell cause from coincidence.

## Diuretics (water tablets)

Diuretics help the body get rid of extra fluid. They are used for high blood pressure, heart failure and swelling. A large study in Canada looked at prescription records for about 4.2 million people. People were more likely to start cramp treatment in the year after starting certain diuretics. The link was strongest for potassium-sparing diuretics and thiazide-type diuretics. It was small, and not clear, for loop diuretics [1].

## Statins

Statins lower cholesterol and cut the risk of heart attack and stroke. Muscle aches, weakness and cramps are one of the main reasons people stop taking them. Serious muscle damage is rare. It affects about 1 in 1,000 to 1 in 10,000 people on usual doses [3].

A European expert panel suggests working through muscle symptoms with your clinician, rather than simply stopping. Options can include a pause and retest, a different statin, a lower dose, or other cholesterol medicines [3]. In the Canadian study, the link between statins and cramp treatment was small [1].

## Beta-agonist inhalers

Beta-agonists open up the airways in asthma and COPD (a long-term lung disease). Examples include salbutamol (called albuterol in the US), which is short-acting, and salmeterol or formoterol, which are long-acting.

In the Canadian study, people were more than twice as likely to start cramp treatment after starting a long-acting beta-agonist inhaler [1]. Some inhaler leaflets also list muscle cramps as a possible side effect.

## Other medicines

A review of night-time leg cramps lists other medicines with a strong link to cramps. These include iron sucrose given by drip and conjugated oestrogens (a type of hormone treatment). Others are raloxifene and teriparatide (both used for bone health), and naproxen (a painkiller) [2].

## The muscle-relaxant paradox

Here is something that surprises many people. The medicines that calm spasms can make spasms much **worse** if they are stopped suddenly.

Baclofen is a good example. Your body gets used to it over time. If it stops all at once, the nerves can become overactive. Stiffness and spasms can come back stronger than before. This is called a **rebound**.

This is most serious with a baclofen pump (intrathecal baclofen). If the pump runs empty or the tube is blocked, the sudden stop can cause:

- Returning stiffness and spasms.
- Itching, often without a rash.
- High fever, fast heartbeat and confusion.
- In severe cases, stiff muscles and dangerous muscle breakdown that can be life-threatening.

This can happen within one to three days. It is a medical emergency, and it can usually be reversed if treated early [4].

Stopping baclofen tablets suddenly can also cause problems. That is why clinicians reduce the dose slowly when it needs to stop.

## Why not to stop a medicine without advice

If you think a medicine is causing cramps, it is tempting to just stop it. Please do not. Here is why:

- The medicine may be protecting you from something serious, like a stroke or an asthma attack.
- Some medicines cause withdrawal effects if stopped suddenly.
- There may be a simple fix, such as a different dose, timing or medicine.

Instead, try this:

1. Note when the cramps started and any medicine changes around that time.
2. Keep a cramp diary for one to two weeks.
3. Take your full list of medicines, including supplements, to your GP or pharmacist.
4. Ask: "Could any of these be causing my cramps? What are my options?"

## When to talk to a clinician

Speak to your GP or pharmacist soon if:

- Cramps started or got worse after a new medicine or dose change.
- You have muscle pain with weakness or dark, cola-coloured urine while taking a statin. Seek help the same day.
- You want to stop or reduce any medicine.

If you have a baclofen pump and notice an alarm, itching, fever, confusion or returning stiffness, get urgent medical help.`,
  references: [
    // confirmed: search pages — PubMed mirror for PMID 22157068 shows the
    // abstract; Relias and a Citizendium citation give Garrison SR, Dormuth CR,
    // Morrow RL, Carney GA, Khan KM, Arch Intern Med 2012;172:120-126,
    // doi 10.1001/archinternmed.2011.1029.
    {
      authors: "Garrison SR, Dormuth CR, Morrow RL, Carney GA, Khan KM.",
      title: "Nocturnal leg cramps and prescription use that precedes them: a sequence symmetry analysis",
      source: "Archives of Internal Medicine",
      year: 2012,
      doi: "10.1001/archinternmed.2011.1029",
      pmid: "22157068",
    },
    ALLEN_KIRBY_2012,
    // confirmed: search pages — PMC4416140: Stroes ES, Thompson PD, Corsini A,
    // et al., Eur Heart J 2015;36(17):1012-1022, doi 10.1093/eurheartj/ehv043,
    // PMID 25694464.
    {
      authors: "Stroes ES, Thompson PD, Corsini A, et al.",
      title:
        "Statin-associated muscle symptoms: impact on statin therapy—European Atherosclerosis Society Consensus Panel Statement on Assessment, Aetiology and Management",
      source: "European Heart Journal",
      year: 2015,
      doi: "10.1093/eurheartj/ehv043",
      pmid: "25694464",
    },
    COFFEY_2002,
  ],
};

// ---------------------------------------------------------------------------
// 6. Living with spasms day to day
// ---------------------------------------------------------------------------

const dayToDay: SeedArticle = {
  slug: "living-with-spasms-day-to-day",
  title: "Living with cramps and spasms day to day",
  summary:
    "Practical, everyday ideas for living with cramps, spasms and stiffness: sleep, heat and cold, pacing your energy, and getting the most out of appointments with a symptom diary and a plan.",
  boardSlugs: ["introductions"],
  author: AUTHOR,
  reviewer: REVIEWER,
  lastReviewedAt: LAST_REVIEWED,
  nextReviewDueAt: NEXT_REVIEW,
  body: `Welcome. Whatever brought you here, whether MS, neuropathy, fibromyalgia, night cramps or something else, living with muscles that will not behave can be exhausting. This guide pulls together everyday ideas that members and research both point to. Take what helps and leave the rest.

## Sleep

Cramps and spasms often get worse at night, and poor sleep makes everything harder the next day. Some ideas:

- **Stretch before bed.** A few minutes of gentle calf and thigh stretches may make night cramps less painful [3].
- **Loosen the bedding.** Heavy covers can push your toes down and set off calf cramps. Try a looser sheet at the foot of the bed.
- **Position with care.** Pillows between or under the knees can ease stiffness for some people. A physiotherapist can advise on positioning if spasms are strong.
- **Keep a regular rhythm.** Go to bed and get up at similar times each day.
- **Plan for a cramp.** Know your go-to stretch. Keep a glass of water by the bed.

## Heat and cold

Temperature can make a big difference, but people differ.

- **Heat** helps many people relax tight muscles. A warm (not hot) shower or a heat pad can ease stiffness.
- **Too much heat** can make things worse for some people, especially in MS. Hot weather, hot baths and fever can all increase symptoms. Cooling vests, fans and cool drinks can help.
- **Cold** can make muscles stiffer for some people. Warm layers and keeping your feet warm may help.

Notice what your own body prefers. Always protect your skin. Do not put heat pads or ice packs straight on the skin. Take extra care if you have numb areas.

## Pacing your energy

Pacing means spreading activity out so you avoid big "boom and bust" swings. Many people find it helps with both tiredness and flare-ups.

- Break tasks into smaller parts, with short rests in between.
- Plan harder tasks for your better time of day.
- Stop while you still feel OK.
- Build activity up slowly over weeks, not days.

Regular, gentle exercise is one of the best-supported steps in long-term pain conditions such as fibromyalgia [4]. Pacing helps you keep exercising without crashing.

## Stretching and movement

Daily stretching and moving your joints is a common starting point for stiffness and cramps [3]. Small amounts often are better than one big session. If stretching sets off spasms, go slower, hold the stretch gently and ask a physiotherapist for help.

## Spotting your triggers

Many things can set off or worsen cramps and spasms. For spasticity in MS, guidance advises looking for triggers such as infections, constipation and pain, and treating them [2]. Other common ones are tiredness, stress, tight clothing and a full bladder. A diary (see below) can help you find your own patterns.

## Talking with your clinician

Appointments can feel short. A little preparation helps you get more from them. Good care means making decisions **together**, with your views and goals at the centre [1].

### Keep a symptom diary

For one to two weeks before an appointment, jot down:

- When cramps or spasms happen (time of day, what you were doing).
- How bad they were, on a scale of 0 to 10.
- How long they lasted.
- Possible triggers: heat, tiredness, an infection, a missed dose, a new medicine.
- How they affect sleep, work or daily life.

A notes app or a paper notebook both work well.

### Prepare for the appointment

- **Write your top three questions** and bring them with you.
- **Bring a full medicine list**, including supplements and over-the-counter products.
- **Say what matters most to you.** Is it sleep? Walking? Pain? This helps your clinician focus.
- **Ask about options**, including doing nothing for now. Ask about the benefits, risks and what happens next for each [1].
- **Bring someone** if that helps. They can take notes.
- **Check you understand** before you leave. It is fine to say, "Can you explain that again?"

Please do not start, stop or change a medicine without talking it through with your clinician first.

## Looking after your mood

Living with ongoing symptoms can wear you down. Feeling frustrated, low or anxious is common. Talking to others here can help. So can talking therapies. If your mood stays low, please tell your clinician.

## When to talk to a clinician

Contact your GP or care team if:

- Symptoms change suddenly or get much worse.
- Cramps or spasms come with fever, new weakness, numbness, or problems with your bladder or bowels.
- A calf is painful, swollen, red or warm. This needs urgent care.
- Symptoms are stopping you from sleeping, working or looking after yourself.

You know your body best. If something feels wrong, it is always OK to ask.`,
  references: [
    // confirmed: search pages — nice.org.uk/guidance/ng197 recommendations
    // page, the NICE PDF ("Shared decision making, NICE guideline, Published:
    // 17 June 2021") and the NCBI Bookshelf copy (NICE Guideline No. 197).
    {
      authors: "National Institute for Health and Care Excellence (NICE)",
      title: "Shared decision making (NICE guideline NG197)",
      source: "NICE",
      year: 2021,
      url: "https://www.nice.org.uk/guidance/ng197",
    },
    NICE_NG220,
    HAWKE_2021,
    MACFARLANE_2017,
  ],
};

export const seedArticles: SeedArticle[] = [msSpasticity, fibromyalgia, nerveCramps, nightCramps, medicines, dayToDay];

/** Articles whose stored HTML the current renderer would write differently, with the fresh HTML. */
export type StaleArticle = { id: number; bodyMarkdown: string; fresh: string };

/**
 * Article HTML is rendered when an article is saved. A change to the renderer (citation ids for
 * the references' back-links, say) reaches articles saved before it here. Call this before the
 * transaction: rendering every article must not hold the write lock.
 */
export async function staleArticleHtml(): Promise<StaleArticle[]> {
  const rows = await db
    .select({ id: articles.id, bodyMarkdown: articles.bodyMarkdown, bodyHtml: articles.bodyHtml, references: articles.references })
    .from(articles);
  const stale: StaleArticle[] = [];
  for (const article of rows) {
    const fresh = renderArticleBody(article.bodyMarkdown, article.references.length);
    if (fresh !== article.bodyHtml) stale.push({ id: article.id, bodyMarkdown: article.bodyMarkdown, fresh });
  }
  return stale;
}

/**
 * Idempotent, runs on every start: inserts a seed article only when its slug is missing, so an
 * article a moderator has since edited (or archived) is never overwritten, and pins it to its
 * boards (after any articles already pinned there). Then brings the stale articles' stored HTML
 * (from staleArticleHtml) up to date; the words are never touched. Needs the boards seeded.
 */
export async function seedArticleData(tx: Tx, stale: StaleArticle[]) {
  const existing = new Set(
    (
      await tx
        .select({ slug: articles.slug })
        .from(articles)
        .where(
          inArray(
            articles.slug,
            seedArticles.map((a) => a.slug),
          ),
        )
    ).map((a) => a.slug),
  );
  const now = new Date();
  for (const seed of seedArticles) {
    if (existing.has(seed.slug)) continue;
    const [created] = await tx
      .insert(articles)
      .values({
        slug: seed.slug,
        title: seed.title,
        summary: seed.summary,
        bodyMarkdown: seed.body,
        bodyHtml: renderArticleBody(seed.body, seed.references.length),
        references: seed.references,
        author: seed.author,
        reviewer: seed.reviewer,
        lastReviewedOn: seed.lastReviewedAt,
        nextReviewDueOn: seed.nextReviewDueAt,
        status: "published",
        createdAt: now,
        updatedAt: now,
        publishedAt: now,
      })
      .returning({ id: articles.id });
    for (const boardSlug of seed.boardSlugs) {
      const [board] = await tx.select({ id: boards.id }).from(boards).where(eq(boards.slug, boardSlug)).limit(1);
      if (!board) throw new Error(`Seed article ${seed.slug} names a missing board: ${boardSlug}`);
      await tx.insert(articleBoards).values({ articleId: created!.id, boardId: board.id, position: await nextPinPosition(tx, board.id) });
    }
  }
  // Only if the words are still the ones rendered in staleArticleHtml.
  for (const article of stale) {
    await tx
      .update(articles)
      .set({ bodyHtml: article.fresh })
      .where(and(eq(articles.id, article.id), eq(articles.bodyMarkdown, article.bodyMarkdown)));
  }
}
