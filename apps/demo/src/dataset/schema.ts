import { DbType } from '@asyncdb/core';
import type { Customer, Dataset, Employee, Order, OrderDetail, Product } from './dataset.js';
import type { Dialect, DialectTypes } from '../dialects.js';

/** One column: its DDL type per dialect and the DbType its parameter is bound with. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: (types: DialectTypes) => string;
  readonly dbType: DbType;
  readonly nullable: boolean;
}

/** One table of the dataset. */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  /** `column → parent_table(column)` */
  readonly references: Readonly<Record<string, string>>;
  /** Secondary indexes (column lists), for the lookups the demo makes. */
  readonly indexes: readonly (readonly string[])[];
  /** The table's rows from the dataset, as values in column order. */
  rowValues(dataset: Dataset): unknown[][];
}

interface TypedColumn<Row> {
  readonly name: string;
  readonly type: (types: DialectTypes) => string;
  readonly dbType: DbType;
  readonly nullable?: boolean;
  readonly value: (row: Row) => unknown;
}

/**
 * The tables the demo creates, parents first. Every name starts with `demo_`, because `--connection` may point
 * at a database that holds other things: the demo drops and recreates only these.
 */
export const TABLES: readonly TableSpec[] = Object.freeze([
  table<Employee>({
    name: 'demo_employees',
    columns: [
      column(
        'employee_id',
        (t) => t.integer,
        DbType.Int32,
        (r) => r.employeeId,
      ),
      column(
        'first_name',
        (t) => t.text(20),
        DbType.String,
        (r) => r.firstName,
      ),
      column(
        'last_name',
        (t) => t.text(30),
        DbType.String,
        (r) => r.lastName,
      ),
      column(
        'title',
        (t) => t.text(40),
        DbType.String,
        (r) => r.title,
      ),
      column(
        'hire_date',
        (t) => t.date,
        DbType.Date,
        (r) => r.hireDate,
      ),
    ],
    primaryKey: ['employee_id'],
    rows: (d) => d.employees,
  }),
  table<Customer>({
    name: 'demo_customers',
    columns: [
      column(
        'customer_id',
        (t) => t.integer,
        DbType.Int32,
        (r) => r.customerId,
      ),
      column(
        'company_name',
        (t) => t.text(60),
        DbType.String,
        (r) => r.companyName,
      ),
      column(
        'contact_name',
        (t) => t.text(40),
        DbType.String,
        (r) => r.contactName,
      ),
      column(
        'contact_title',
        (t) => t.text(40),
        DbType.String,
        (r) => r.contactTitle,
      ),
      column(
        'city',
        (t) => t.text(30),
        DbType.String,
        (r) => r.city,
      ),
      column(
        'country',
        (t) => t.text(30),
        DbType.String,
        (r) => r.country,
      ),
      column(
        'phone',
        (t) => t.text(24),
        DbType.String,
        (r) => r.phone,
      ),
    ],
    primaryKey: ['customer_id'],
    rows: (d) => d.customers,
  }),
  table<Product>({
    name: 'demo_products',
    columns: [
      column(
        'product_id',
        (t) => t.integer,
        DbType.Int32,
        (r) => r.productId,
      ),
      column(
        'product_name',
        (t) => t.text(60),
        DbType.String,
        (r) => r.productName,
      ),
      column(
        'category',
        (t) => t.text(30),
        DbType.String,
        (r) => r.category,
      ),
      column(
        'unit_price',
        (t) => t.decimal(10, 2),
        DbType.Decimal,
        (r) => r.unitPrice,
      ),
    ],
    primaryKey: ['product_id'],
    rows: (d) => d.products,
  }),
  table<Order>({
    name: 'demo_orders',
    columns: [
      column(
        'order_id',
        (t) => t.integer,
        DbType.Int32,
        (r) => r.orderId,
      ),
      column(
        'customer_id',
        (t) => t.integer,
        DbType.Int32,
        (r) => r.customerId,
      ),
      column(
        'employee_id',
        (t) => t.integer,
        DbType.Int32,
        (r) => r.employeeId,
      ),
      column(
        'order_date',
        (t) => t.date,
        DbType.Date,
        (r) => r.orderDate,
      ),
      {
        ...column(
          'shipped_date',
          (t) => t.date,
          DbType.Date,
          (r) => r.shippedDate,
        ),
        nullable: true,
      },
      column(
        'ship_city',
        (t) => t.text(30),
        DbType.String,
        (r) => r.shipCity,
      ),
      column(
        'ship_country',
        (t) => t.text(30),
        DbType.String,
        (r) => r.shipCountry,
      ),
      column(
        'freight',
        (t) => t.decimal(10, 2),
        DbType.Decimal,
        (r) => r.freight,
      ),
    ],
    primaryKey: ['order_id'],
    references: { customer_id: 'demo_customers(customer_id)', employee_id: 'demo_employees(employee_id)' },
    indexes: [['customer_id'], ['ship_country']],
    rows: (d) => d.orders,
  }),
  table<OrderDetail>({
    name: 'demo_order_details',
    columns: [
      column(
        'order_id',
        (t) => t.integer,
        DbType.Int32,
        (r) => r.orderId,
      ),
      column(
        'product_id',
        (t) => t.integer,
        DbType.Int32,
        (r) => r.productId,
      ),
      column(
        'unit_price',
        (t) => t.decimal(10, 2),
        DbType.Decimal,
        (r) => r.unitPrice,
      ),
      column(
        'quantity',
        (t) => t.integer,
        DbType.Int32,
        (r) => r.quantity,
      ),
      column(
        'discount',
        (t) => t.decimal(4, 2),
        DbType.Decimal,
        (r) => r.discount,
      ),
    ],
    primaryKey: ['order_id', 'product_id'],
    references: { order_id: 'demo_orders(order_id)', product_id: 'demo_products(product_id)' },
    rows: (d) => d.orderDetails,
  }),
]);

/** The `CREATE TABLE` statement of a table, in a dialect. */
export function createTableSql(spec: TableSpec, dialect: Dialect): string {
  const columns = spec.columns.map((c) => `${c.name} ${c.type(dialect.types)} ${c.nullable ? 'NULL' : 'NOT NULL'}`);
  const keys = [`PRIMARY KEY (${spec.primaryKey.join(', ')})`];
  for (const [name, target] of Object.entries(spec.references)) keys.push(`FOREIGN KEY (${name}) REFERENCES ${target}`);
  return `CREATE TABLE ${spec.name} (\n  ${[...columns, ...keys].join(',\n  ')}\n)`;
}

/** The `CREATE INDEX` statements of a table. */
export function createIndexSql(spec: TableSpec): string[] {
  return spec.indexes.map(
    (columns) => `CREATE INDEX ix_${spec.name}_${columns.join('_')} ON ${spec.name} (${columns.join(', ')})`,
  );
}

/** Builds a {@link TableSpec} from typed columns, so each column reads its value from a typed row. */
function table<Row>(spec: {
  readonly name: string;
  readonly columns: readonly TypedColumn<Row>[];
  readonly primaryKey: readonly string[];
  readonly references?: Readonly<Record<string, string>>;
  readonly indexes?: readonly (readonly string[])[];
  readonly rows: (dataset: Dataset) => readonly Row[];
}): TableSpec {
  return {
    name: spec.name,
    columns: spec.columns.map(({ name, type, dbType, nullable }) => ({
      name,
      type,
      dbType,
      nullable: nullable ?? false,
    })),
    primaryKey: spec.primaryKey,
    references: spec.references ?? {},
    indexes: spec.indexes ?? [],
    rowValues: (dataset) => spec.rows(dataset).map((row) => spec.columns.map((c) => c.value(row))),
  };
}

function column<Row>(
  name: string,
  type: TypedColumn<Row>['type'],
  dbType: DbType,
  value: (row: Row) => unknown,
): TypedColumn<Row> {
  return { name, type, dbType, value };
}
