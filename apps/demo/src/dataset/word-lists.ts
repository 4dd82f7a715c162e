// prettier-ignore
/** The words the dataset generator combines into names; Northwind's flavour, none of its rows. */
export const WORDS = {
  firstNames: [
    'Anna', 'Bruno', 'Carla', 'Diego', 'Elena', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Luca', 'Marta',
    'Nils', 'Olga', 'Pedro', 'Quinn', 'Rosa', 'Sven', 'Tomás', 'Ulla', 'Victor', 'Wanda', 'Yann', 'Zoë',
  ],
  lastNames: [
    'Almeida', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Hansen', 'Ivanova', 'Jensen', 'Keller',
    'Lindqvist', 'Moreau', 'Novak', 'Olsen', 'Petit', 'Rossi', 'Schmidt', 'Torres', 'Virtanen', 'Weber', 'Zieliński',
  ],
  companyFirst: [
    'Alpine', 'Blue Harbor', 'Copper Kettle', 'Delta', 'Evergreen', 'Fjord', 'Golden Field', 'Harvest', 'Island',
    'Juniper', 'Kestrel', 'Lighthouse', 'Meadow', 'North Star', 'Old Mill', 'Pine Ridge', 'Quayside', 'Riverbend',
    'Saffron', 'Tidewater', 'Union Square', 'Valley', 'Windmill',
  ],
  companySecond: ['Traders', 'Delicatessen', 'Market', 'Foods', 'Grocers', 'Provisions', 'Imports', 'Pantry', 'Bistro'],
  titles: [
    'Owner', 'Sales Representative', 'Purchasing Manager', 'Marketing Manager', 'Accounting Manager', 'Sales Agent',
    'Order Administrator',
  ],
  places: [
    ['Germany', 'Berlin'], ['Germany', 'Hamburg'], ['Germany', 'München'], ['France', 'Lyon'], ['France', 'Nantes'],
    ['Spain', 'Madrid'], ['Spain', 'Sevilla'], ['Italy', 'Torino'], ['Italy', 'Bergamo'], ['UK', 'London'],
    ['UK', 'Cowes'], ['Sweden', 'Luleå'], ['Norway', 'Stavern'], ['Denmark', 'Århus'], ['Finland', 'Oulu'],
    ['Portugal', 'Lisboa'], ['Brazil', 'São Paulo'], ['Mexico', 'México D.F.'], ['Canada', 'Montréal'],
    ['USA', 'Seattle'], ['USA', 'Portland'], ['Argentina', 'Buenos Aires'],
  ] as const satisfies ReadonlyArray<readonly [string, string]>,
  products: [
    ['Chai', 'Beverages'], ['Chang', 'Beverages'], ['Lakkalikööri', 'Beverages'], ['Ipoh Coffee', 'Beverages'],
    ['Aniseed Syrup', 'Condiments'], ['Cajun Seasoning', 'Condiments'], ['Gumbo Mix', 'Condiments'],
    ['Boysenberry Spread', 'Condiments'], ['Original Frankfurter grüne Soße', 'Condiments'],
    ['Dried Pears', 'Produce'], ['Tofu', 'Produce'], ['Manjimup Dried Apples', 'Produce'],
    ['Queso Cabrales', 'Dairy Products'], ['Queso Manchego', 'Dairy Products'], ['Gorgonzola Telino', 'Dairy Products'],
    ['Mascarpone Fabioli', 'Dairy Products'], ['Geitost', 'Dairy Products'], ['Raclette Courdavault', 'Dairy Products'],
    ['Ikura', 'Seafood'], ['Konbu', 'Seafood'], ['Carnarvon Tigers', 'Seafood'], ['Nord-Ost Matjeshering', 'Seafood'],
    ['Gravad lax', 'Seafood'], ['Escargots de Bourgogne', 'Seafood'], ['Boston Crab Meat', 'Seafood'],
    ['Teatime Chocolate Biscuits', 'Confections'], ['Sir Rodney’s Marmalade', 'Confections'], ['Pavlova', 'Confections'],
    ['Schoggi Schokolade', 'Confections'], ['Tarte au sucre', 'Confections'], ['Chocolade', 'Confections'],
    ['Gustaf’s Knäckebröd', 'Grains/Cereals'], ['Tunnbröd', 'Grains/Cereals'], ['Ravioli Angelo', 'Grains/Cereals'],
    ['Gnocchi di nonna Alice', 'Grains/Cereals'], ['Filo Mix', 'Grains/Cereals'],
    ['Mishi Kobe Niku', 'Meat/Poultry'], ['Alice Mutton', 'Meat/Poultry'], ['Thüringer Rostbratwurst', 'Meat/Poultry'],
    ['Pâté chinois', 'Meat/Poultry'],
  ] as const satisfies ReadonlyArray<readonly [string, string]>,
} as const;
