import { hasDisclosure } from './disclosure';

describe('hasDisclosure', () => {
  it.each([
    'Loving this espresso #ad',
    'Morning ritual #AD ☕',
    '#Gifted by @bluebottle, thoughts are mine',
    'New drop #sponsored',
    'Paid partnership with Blue Bottle',
    'PAID   PARTNERSHIP with Blue Bottle',
    'Ad: my favourite beans',
    'coffee time (ad: gifted beans)',
    'Sponsored by Blue Bottle',
    'Mein Kaffee #Werbung',
    'Anzeige: Espresso',
    'Bezahlte Partnerschaft mit Blue Bottle',
    'Mon café #publicité',
    'Partenariat rémunéré avec Blue Bottle',
    'Collaboration commerciale avec @bb',
    'Mi café favorito #publi',
    'Colaboración pagada con Blue Bottle',
    'Il mio caffè #adv',
    'Caffè #pubblicità',
    'Partnership retribuita con Blue Bottle',
    'Meu café #publicidade',
    'Parceria paga com Blue Bottle',
    'Mijn koffie #reclame',
    'Betaalde samenwerking met Blue Bottle',
  ])('finds a disclosure in %p', (text) => expect(hasDisclosure(text)).toBe(true));

  it.each([
    'Just coffee #adidas #adventure',
    'I read an advertisement yesterday',
    'Bad: burnt beans',
    'load: 3 shots',
    'partnership with my barista friend',
    '#advertising101 is a course',
    'Gift guide #gift #pub night with my #partner',
    '',
    null,
  ])('finds none in %p', (text) => expect(hasDisclosure(text)).toBe(false));
});
