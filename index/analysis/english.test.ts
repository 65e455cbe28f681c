import { describe, expect, it } from 'vitest';
import { minimalEnglishStem, porterStem, stripPossessive } from './english.ts';

describe('porterStem', () => {
  // Examples from Martin Porter's paper, which Lucene's PorterStemmer reproduces.
  const PAPER: Array<[string, string]> = [
    ['caresses', 'caress'], ['ponies', 'poni'], ['ties', 'ti'], ['caress', 'caress'], ['cats', 'cat'],
    ['feed', 'feed'], ['agreed', 'agre'], ['plastered', 'plaster'], ['bled', 'bled'], ['motoring', 'motor'],
    ['sing', 'sing'], ['conflated', 'conflat'], ['troubled', 'troubl'], ['sized', 'size'], ['hopping', 'hop'],
    ['tanned', 'tan'], ['falling', 'fall'], ['hissing', 'hiss'], ['fizzed', 'fizz'], ['failing', 'fail'],
    ['filing', 'file'], ['happy', 'happi'], ['sky', 'sky'], ['relational', 'relat'], ['conditional', 'condit'],
    ['rational', 'ration'], ['valenci', 'valenc'], ['hesitanci', 'hesit'], ['digitizer', 'digit'],
    ['conformabli', 'conform'], ['radicalli', 'radic'], ['differentli', 'differ'], ['vileli', 'vile'],
    ['analogousli', 'analog'], ['vietnamization', 'vietnam'], ['predication', 'predic'], ['operator', 'oper'],
    ['feudalism', 'feudal'], ['decisiveness', 'decis'], ['hopefulness', 'hope'], ['callousness', 'callous'],
    ['formaliti', 'formal'], ['sensitiviti', 'sensit'], ['sensibiliti', 'sensibl'], ['triplicate', 'triplic'],
    ['formative', 'form'], ['formalize', 'formal'], ['electriciti', 'electr'], ['electrical', 'electr'],
    ['hopeful', 'hope'], ['goodness', 'good'], ['revival', 'reviv'], ['allowance', 'allow'], ['inference', 'infer'],
    ['airliner', 'airlin'], ['gyroscopic', 'gyroscop'], ['adjustable', 'adjust'], ['defensible', 'defens'],
    ['irritant', 'irrit'], ['replacement', 'replac'], ['adjustment', 'adjust'], ['dependent', 'depend'],
    ['adoption', 'adopt'], ['homologou', 'homolog'], ['communism', 'commun'], ['activate', 'activ'],
    ['angulariti', 'angular'], ['homologous', 'homolog'], ['effective', 'effect'], ['bowdlerize', 'bowdler'],
    ['probate', 'probat'], ['rate', 'rate'], ['cease', 'ceas'], ['controll', 'control'], ['roll', 'roll'],
  ];
  it.each(PAPER)('stems %s to %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });

  it('stems everyday words', () => {
    expect(['running', 'jumped', 'dogs', 'generalizations', 'oscillators', 'abilities', 'is', 'at'].map(porterStem)).toEqual([
      'run', 'jump', 'dog', 'gener', 'oscil', 'abil', 'is', 'at',
    ]);
  });

  it('does not lower-case (upper-case letters count as consonants, as in Lucene)', () => {
    expect(porterStem('RUNNING')).toBe('RUNNING');
    expect(porterStem('Dogs')).toBe('Dog');
  });
});

describe('stripPossessive', () => {
  it('drops trailing apostrophe-s in its three spellings', () => {
    expect(["dog's", 'dog’s', 'dog＇s', "DOG'S", 'dogs', "'s", 's'].map(stripPossessive)).toEqual([
      'dog', 'dog', 'dog', 'DOG', 'dogs', '', 's',
    ]);
  });
});

describe('minimalEnglishStem', () => {
  it('removes plural endings only', () => {
    expect(['dogs', 'ponies', 'boxes', 'glass', 'status', 'shoes', 'bees', 'days', 'is'].map(minimalEnglishStem)).toEqual([
      'dog', 'pony', 'boxe', 'glass', 'status', 'shoes', 'bees', 'day', 'is',
    ]);
  });
});
